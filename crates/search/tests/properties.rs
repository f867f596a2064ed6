#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::OnceLock;

use common::*;
use mycel_search::{SearchIndex, SortOrder};
use proptest::prelude::*;

fn shared() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(index)
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        // tantivy query syntax and friends, mixed with words of the catalogue.
        proptest::collection::vec(
            prop_oneof![
                Just("\"".to_string()),
                Just("(".to_string()),
                Just(")".to_string()),
                Just(":".to_string()),
                Just("*".to_string()),
                Just("~2".to_string()),
                Just("^3".to_string()),
                Just("AND".to_string()),
                Just("OR".to_string()),
                Just("-".to_string()),
                Just("+".to_string()),
                Just("title_de:".to_string()),
                Just("[a TO z]".to_string()),
                Just("\\".to_string()),
                Just(" ".to_string()),
                Just("Gabelstapler".to_string()),
                Just("Führung".to_string()),
                Just("ß".to_string()),
                "[a-zäöüß]{1,45}",
                "\\PC{1,3}",
            ],
            0..12
        )
        .prop_map(|parts| parts.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_is_plain_words(text in text(), sort in 0..3u8, offset in 0..8usize) {
        let mut q = query(&text, TENANT_A);
        q.sort = match sort { 0 => SortOrder::Relevance, 1 => SortOrder::Newest, _ => SortOrder::SoonestSession };
        q.offset = offset;
        let results = shared().search(&q).unwrap();
        prop_assert!(results.total <= 5);
        prop_assert!(results.hits.len() as u64 <= results.total.saturating_sub(offset as u64));
        for hit in &results.hits {
            prop_assert!(!hit.title_html.contains("<script"));
            prop_assert!(hit.id != DRAFT && hit.id != TRAIN);
        }
    }

    #[test]
    fn syntax_characters_around_a_word_do_not_change_its_hits(wrap in prop::sample::select(vec!["\"{}\"", "({})", "{}:", "*{}*", "+{}", "{}~1"])) {
        let plain = ids(shared(), &query("Gabelstapler", TENANT_A));
        let wrapped = ids(shared(), &query(&wrap.replace("{}", "Gabelstapler"), TENANT_A));
        prop_assert_eq!(plain, wrapped);
    }
}

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use chrono::Duration;
use common::*;
use mycel_search::{
    DurationBucket, FacetCount, Lang, OpportunityDocument, Provider, SearchIndex, SessionRange,
    SessionWindow, SortOrder,
};
use uuid::Uuid;

fn set(ids: &[Uuid]) -> BTreeSet<Uuid> {
    ids.iter().copied().collect()
}

#[test]
fn german_stemming_finds_singular_from_plural() {
    let index = index();
    let found = ids(&index, &query("Schulungen", TENANT_A));
    assert!(found.contains(&CASH), "'Schulung' in CASH: {found:?}");
    assert!(found.contains(&LEAD), "'Schulungen' in LEAD: {found:?}");
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn english_stemming_finds_training_from_trainings() {
    let index = index();
    let mut q = query("trainings", TENANT_B);
    q.viewer_language = Lang::En;
    assert_eq!(ids(&index, &q), vec![TRAIN]);
}

#[test]
fn umlauts_in_every_spelling() {
    let index = index();
    for text in ["Führung", "Fuehrung", "fuhrung", "FÜHRUNG"] {
        let found = ids(&index, &query(text, TENANT_A));
        assert_eq!(found, vec![LEAD], "query {text:?}");
    }
}

#[test]
fn typos_are_tolerated() {
    let index = index();
    assert_eq!(ids(&index, &query("Gabelstabler", TENANT_A)), vec![FORK]);
    assert_eq!(ids(&index, &query("Kasensysteme", TENANT_A)), vec![CASH]);
    // Transposed letters count as one edit.
    assert_eq!(ids(&index, &query("Gabelstalper", TENANT_A)), vec![FORK]);
    // Three letters: no typo allowed, "XSZ" finds nothing.
    assert!(ids(&index, &query("XSZ", TENANT_A)).is_empty());
    assert_eq!(ids(&index, &query("XSS", TENANT_A)), vec![SCRIPT]);
}

#[test]
fn last_word_matches_as_prefix_while_typing() {
    let index = index();
    assert_eq!(ids(&index, &query("Gabelst", TENANT_A)), vec![FORK]);
    // With a typo in the prefix.
    assert_eq!(ids(&index, &query("Gabwlst", TENANT_A)), vec![FORK]);
    // A finished word (followed by a space) is not a fuzzy prefix any more...
    assert!(ids(&index, &query("Gabwlst ", TENANT_A)).is_empty());
    // ... but still the exact beginning of a compound.
    assert_eq!(ids(&index, &query("Gabelst ", TENANT_A)), vec![FORK]);
    // A one-letter last word being typed does not filter.
    assert_eq!(ids(&index, &query("Gabelstapler S", TENANT_A)), vec![FORK]);
}

#[test]
fn german_compounds_by_head_and_tail() {
    let index = index();
    // The first part of a compound.
    assert_eq!(
        set(&ids(&index, &query("Lager ", TENANT_A))),
        set(&[LOGISTICS, FORK])
    );
    // The last part of a compound.
    assert_eq!(ids(&index, &query("Logistik ", TENANT_A)), vec![LOGISTICS]);
    assert_eq!(ids(&index, &query("Sicherheit ", TENANT_A)), vec![FORK]);
    assert_eq!(ids(&index, &query("Stapler ", TENANT_A)), vec![FORK]);
    assert_eq!(ids(&index, &query("Kassen ", TENANT_A)), vec![CASH]);
    // A middle part is not found.
    assert!(ids(&index, &query("platz ", TENANT_A)).is_empty());
}

#[test]
fn exact_above_fuzzy_and_title_above_description() {
    let index = SearchIndex::in_memory().unwrap();
    let mut docs = Vec::new();
    for (i, (title, description)) in [
        ("Klasse bilden", "Gruppenarbeit"),
        ("Kasse bedienen", "Gruppenarbeit"),
        ("Gruppenarbeit", "Brandschutz im Betrieb"),
        ("Brandschutz", "Gruppenarbeit"),
    ]
    .iter()
    .enumerate()
    {
        let mut doc = catalogue()[0].clone();
        doc.id = Uuid::from_u128(100 + i as u128);
        doc.titles = vec![(Lang::De, title.to_string())];
        doc.descriptions = vec![(Lang::De, description.to_string())];
        docs.push(doc);
    }
    index.upsert_many(&docs).unwrap();
    let found = ids(&index, &query("Kasse ", TENANT_A));
    assert_eq!(
        found,
        vec![docs[1].id, docs[0].id],
        "exact first, then the typo"
    );
    let found = ids(&index, &query("Brandschutz ", TENANT_A));
    assert_eq!(found, vec![docs[3].id, docs[2].id], "title first");
}

#[test]
fn viewer_language_ranks_higher() {
    let index = SearchIndex::in_memory().unwrap();
    let mut german = catalogue()[0].clone();
    german.id = Uuid::from_u128(200);
    german.titles = vec![(Lang::De, "Excel Grundkurs".to_string())];
    german.descriptions = vec![];
    let mut english = german.clone();
    english.id = Uuid::from_u128(201);
    english.titles = vec![(Lang::En, "Excel basics".to_string())];
    index.upsert_many([&german, &english]).unwrap();
    let mut q = query("excel", TENANT_A);
    q.viewer_language = Lang::De;
    assert_eq!(ids(&index, &q), vec![german.id, english.id]);
    q.viewer_language = Lang::En;
    assert_eq!(ids(&index, &q), vec![english.id, german.id]);
}

#[test]
fn tenants_see_only_network_and_their_own() {
    let index = index();
    let a = set(&ids(&index, &query("", TENANT_A)));
    assert_eq!(a, set(&[FORK, CASH, LEAD, SCRIPT, LOGISTICS]));
    let b = set(&ids(&index, &query("", TENANT_B)));
    assert_eq!(b, set(&[FORK, LEAD, TRAIN, SCRIPT, LOGISTICS]));
    // The text does not get round it.
    assert!(ids(&index, &query("Kassensysteme", TENANT_B)).is_empty());
    assert!(ids(&index, &query("Customer service", TENANT_A)).is_empty());
    // Nobody without audience keys sees anything.
    let mut nobody = query("", TENANT_A);
    nobody.viewer_audience.clear();
    let results = index.search(&nobody).unwrap();
    assert_eq!(results.total, 0);
    assert!(results.hits.is_empty());
}

#[test]
fn drafts_only_for_the_owners_editors() {
    let index = index();
    assert!(!ids(&index, &query("Lagerlogistik", TENANT_A)).contains(&DRAFT));
    let mut editor_a = query("Lagerlogistik", TENANT_A);
    editor_a.include_unpublished_of = Some(TENANT_A);
    assert_eq!(set(&ids(&index, &editor_a)), set(&[DRAFT, LOGISTICS]));
    let mut editor_b = query("Lagerlogistik", TENANT_B);
    editor_b.include_unpublished_of = Some(TENANT_B);
    assert_eq!(ids(&index, &editor_b), vec![LOGISTICS]);
    // An editor also sees the own tenant's published documents whatever their audience.
    let mut editor_b_all = query("", TENANT_A);
    editor_b_all.viewer_audience = vec!["network".to_string()];
    editor_b_all.include_unpublished_of = Some(TENANT_B);
    assert!(ids(&index, &editor_b_all).contains(&TRAIN));
    assert!(!ids(&index, &editor_b_all).contains(&CASH));
}

fn count<T: PartialEq>(list: &[FacetCount<T>], value: T) -> u64 {
    FacetCount::of(list, &value)
}

#[test]
fn facet_counts_without_filters() {
    let index = index();
    let results = index.search(&query("", TENANT_A)).unwrap();
    let f = &results.facets;
    assert_eq!(results.total, 5);
    let modality: Vec<(String, u64)> = f
        .modality
        .iter()
        .map(|c| (c.value.clone(), c.count))
        .collect();
    assert_eq!(
        modality,
        vec![
            ("classroom".to_string(), 2),
            ("cmi5".to_string(), 1),
            ("link".to_string(), 1),
            ("video".to_string(), 1)
        ]
    );
    assert_eq!(f.content_language.len(), 2);
    assert_eq!(count(&f.content_language, "de".to_string()), 4);
    assert_eq!(count(&f.content_language, "en".to_string()), 1);
    let durations: Vec<u64> = f.duration.iter().map(|c| c.count).collect();
    assert_eq!(durations, vec![1, 1, 1, 1, 0, 1]);
    assert_eq!(f.duration[5].value, DurationBucket::Unknown);
    assert_eq!(f.provider.len(), 3);
    assert_eq!(count(&f.provider, Provider::Internal), 3);
    assert_eq!(
        count(&f.provider, Provider::External("Lernwerk GmbH".into())),
        1
    );
    assert_eq!(count(&f.provider, Provider::External("SkillCo".into())), 1);
    assert_eq!(f.competency.len(), 3);
    assert_eq!(count(&f.competency, C1), 2);
    assert_eq!(count(&f.competency, C2), 2);
    assert_eq!(count(&f.competency, C3), 1);
    let sessions: Vec<(SessionWindow, u64)> =
        f.sessions.iter().map(|c| (c.value, c.count)).collect();
    assert_eq!(
        sessions,
        vec![
            (SessionWindow::Within7Days, 1),
            (SessionWindow::Within30Days, 2),
            (SessionWindow::Within90Days, 2)
        ]
    );
}

#[test]
fn facet_counts_ignore_their_own_filter_only() {
    let index = index();
    let mut q = query("", TENANT_A);
    q.filters.modalities.insert("classroom".to_string());
    let results = index.search(&q).unwrap();
    assert_eq!(
        set(&results.hits.iter().map(|h| h.id).collect::<Vec<_>>()),
        set(&[FORK, LOGISTICS])
    );
    assert_eq!(results.total, 2);
    let f = &results.facets;
    // Its own facet: as without the filter.
    assert_eq!(count(&f.modality, "classroom".to_string()), 2);
    assert_eq!(count(&f.modality, "cmi5".to_string()), 1);
    assert_eq!(count(&f.modality, "video".to_string()), 1);
    assert_eq!(count(&f.modality, "link".to_string()), 1);
    // The others: over the classroom courses.
    assert_eq!(f.content_language.len(), 1);
    assert_eq!(count(&f.content_language, "de".to_string()), 2);
    let durations: Vec<u64> = f.duration.iter().map(|c| c.count).collect();
    assert_eq!(durations, vec![0, 0, 1, 1, 0, 0]);
    assert_eq!(count(&f.provider, Provider::Internal), 1);
    assert_eq!(count(&f.provider, Provider::External("SkillCo".into())), 1);
    assert_eq!(f.provider.len(), 2);
    assert_eq!(count(&f.competency, C1), 1);
    assert_eq!(count(&f.competency, C2), 1);
    assert_eq!(f.competency.len(), 2);
    let sessions: Vec<u64> = f.sessions.iter().map(|c| c.count).collect();
    assert_eq!(sessions, vec![1, 2, 2]);

    // Two filters: each facet applies the other one.
    q.filters
        .providers
        .insert(Provider::External("SkillCo".into()));
    let results = index.search(&q).unwrap();
    assert_eq!(results.total, 1);
    assert_eq!(results.hits[0].id, LOGISTICS);
    let f = &results.facets;
    // modality facet under provider = SkillCo (TRAIN is SkillCo's but invisible to A).
    assert_eq!(f.modality.len(), 1);
    assert_eq!(count(&f.modality, "classroom".to_string()), 1);
    // provider facet under modality = classroom.
    assert_eq!(count(&f.provider, Provider::Internal), 1);
    assert_eq!(count(&f.provider, Provider::External("SkillCo".into())), 1);
    // the rest under both.
    assert_eq!(count(&f.content_language, "de".to_string()), 1);
    assert_eq!(count(&f.competency, C2), 1);
    assert_eq!(f.competency.len(), 1);
    let sessions: Vec<u64> = f.sessions.iter().map(|c| c.count).collect();
    assert_eq!(sessions, vec![0, 1, 1]);
}

#[test]
fn selected_values_are_listed_even_without_documents() {
    let index = index();
    let mut q = query("", TENANT_A);
    q.filters.modalities.insert("podcast".to_string());
    let results = index.search(&q).unwrap();
    assert_eq!(results.total, 0);
    assert_eq!(count(&results.facets.modality, "podcast".to_string()), 0);
    assert!(results.facets.modality.iter().any(|c| c.value == "podcast"));
    assert_eq!(count(&results.facets.modality, "classroom".to_string()), 2);
}

#[test]
fn each_filter_filters() {
    let index = index();
    let run = |f: &dyn Fn(&mut mycel_search::SearchQuery)| {
        let mut q = query("", TENANT_A);
        f(&mut q);
        set(&ids(&index, &q))
    };
    assert_eq!(
        run(&|q| {
            q.filters.durations.insert(DurationBucket::UpTo15Minutes);
        }),
        set(&[LEAD])
    );
    assert_eq!(
        run(&|q| {
            q.filters.durations.insert(DurationBucket::Unknown);
            q.filters
                .durations
                .insert(DurationBucket::From15To60Minutes);
        }),
        set(&[SCRIPT, CASH])
    );
    assert_eq!(
        run(&|q| {
            q.filters.competencies.insert(C2);
        }),
        set(&[CASH, LOGISTICS])
    );
    assert_eq!(
        run(&|q| {
            q.filters.languages.insert("en".to_string());
        }),
        set(&[SCRIPT])
    );
    assert_eq!(
        run(&|q| {
            q.filters.providers.insert(Provider::Internal);
        }),
        set(&[FORK, LEAD, SCRIPT])
    );
    assert_eq!(
        run(&|q| {
            q.filters.sessions = Some(SessionRange {
                from: None,
                to: Some(now() + Duration::days(7)),
            });
        }),
        set(&[FORK])
    );
    // Only CASH has a session here, and it is in the past.
    assert_eq!(
        run(&|q| {
            q.filters.sessions = Some(SessionRange {
                from: Some(now() - Duration::days(5)),
                to: Some(now() + Duration::days(2)),
            });
        }),
        set(&[])
    );
    assert_eq!(
        run(&|q| {
            q.filters.sessions = Some(SessionRange {
                from: Some(now() + Duration::days(30)),
                to: Some(now() + Duration::days(60)),
            });
        }),
        set(&[FORK])
    );
}

#[test]
fn sort_orders() {
    let index = index();
    let mut q = query("", TENANT_A);
    q.sort = SortOrder::Newest;
    assert_eq!(ids(&index, &q), vec![CASH, FORK, LEAD, SCRIPT, LOGISTICS]);
    // Browsing by relevance is by recency too.
    q.sort = SortOrder::Relevance;
    assert_eq!(ids(&index, &q), vec![CASH, FORK, LEAD, SCRIPT, LOGISTICS]);
    q.sort = SortOrder::SoonestSession;
    let results = index.search(&q).unwrap();
    let order: Vec<Uuid> = results.hits.iter().map(|h| h.id).collect();
    assert_eq!(order, vec![FORK, LOGISTICS, CASH, LEAD, SCRIPT]);
    assert_eq!(
        results.hits[0].next_session,
        Some(now() + Duration::days(3))
    );
    assert_eq!(
        results.hits[1].next_session,
        Some(now() + Duration::days(20))
    );
    assert_eq!(
        results.hits[2].next_session, None,
        "past sessions are ignored"
    );
    // Within a session range, the first session in the range counts.
    q.filters.sessions = Some(SessionRange {
        from: Some(now() + Duration::days(30)),
        to: None,
    });
    let results = index.search(&q).unwrap();
    let order: Vec<Uuid> = results.hits.iter().map(|h| h.id).collect();
    assert_eq!(order, vec![FORK, LOGISTICS]);
    assert_eq!(
        results.hits[0].next_session,
        Some(now() + Duration::days(40))
    );
    assert_eq!(
        results.hits[1].next_session,
        Some(now() + Duration::days(100))
    );
}

#[test]
fn paging() {
    let index = index();
    let mut q = query("", TENANT_A);
    q.sort = SortOrder::Newest;
    q.limit = 2;
    q.offset = 1;
    let results = index.search(&q).unwrap();
    assert_eq!(results.total, 5);
    let order: Vec<Uuid> = results.hits.iter().map(|h| h.id).collect();
    assert_eq!(order, vec![FORK, LEAD]);
    q.offset = 4;
    assert_eq!(ids(&index, &q), vec![LOGISTICS]);
    q.offset = 5;
    assert!(ids(&index, &q).is_empty());
}

#[test]
fn snippets_highlight_and_escape() {
    let index = index();
    let mut q = query("script", TENANT_B);
    q.viewer_language = Lang::En;
    let results = index.search(&q).unwrap();
    assert_eq!(results.hits.len(), 1);
    let hit = &results.hits[0];
    assert_eq!(
        hit.title_html,
        "Secure coding &lt;<b>script</b>&gt;alert(1)&lt;/<b>script</b>&gt; &amp; XSS"
    );
    assert_eq!(
        hit.snippet_html,
        "Why you escape &lt;b&gt;user&lt;/b&gt; input in every <b>script</b>."
    );
    assert!(hit.score > 0.0);

    // Stems, umlaut spellings and typos are highlighted where they matched.
    let results = index.search(&query("Fuehrung schulung", TENANT_A)).unwrap();
    assert_eq!(results.hits.len(), 1);
    assert_eq!(results.hits[0].title_html, "<b>Führung</b> im Wandel");
    assert_eq!(
        results.hits[0].snippet_html,
        "<b>Schulungen</b> für neue <b>Führungskräfte</b>: Gespräche führen, Feedback geben."
    );
    // The title shown is the one that matched.
    let results = index.search(&query("forklift", TENANT_A)).unwrap();
    assert_eq!(results.hits[0].title_language, Lang::En);
    assert_eq!(
        results.hits[0].title_html,
        "<b>Forklift</b> safety refresher"
    );
    let results = index.search(&query("Gabelstabler", TENANT_A)).unwrap();
    assert_eq!(results.hits[0].title_language, Lang::De);
    assert_eq!(
        results.hits[0].title_html,
        "<b>Gabelstapler</b> Sicherheitsunterweisung"
    );
}

#[test]
fn upsert_replaces_and_remove_removes() {
    let index = index();
    assert_eq!(index.num_documents(), 7);
    let mut changed: OpportunityDocument = catalogue()[1].clone();
    changed.titles = vec![(Lang::De, "Kassensysteme kompakt".to_string())];
    index.upsert(&changed).unwrap();
    assert_eq!(index.num_documents(), 7);
    let results = index.search(&query("Kassensysteme", TENANT_A)).unwrap();
    assert_eq!(results.total, 1);
    assert_eq!(results.hits[0].id, CASH);
    assert_eq!(results.hits[0].title_html, "<b>Kassensysteme</b> kompakt");
    assert!(ids(&index, &query("Einsteiger", TENANT_A)).is_empty());

    index.remove(CASH).unwrap();
    assert_eq!(index.num_documents(), 6);
    assert!(ids(&index, &query("Kassensysteme", TENANT_A)).is_empty());
    // Removing an absent document is fine.
    index.remove(CASH).unwrap();

    // Publishing a draft through an upsert makes it visible.
    let mut published = catalogue()[4].clone();
    published.published = true;
    index.upsert(&published).unwrap();
    assert!(ids(&index, &query("Lagerlogistik", TENANT_B)).contains(&DRAFT));
}

#[test]
fn apply_and_markers() {
    let index = index();
    assert_eq!(index.commit_marker().unwrap(), None);
    let mut renamed = catalogue()[0].clone();
    renamed.titles = vec![(Lang::De, "Stapler fahren".to_string())];
    let applied = index
        .apply(
            vec![
                mycel_search::Change::Upsert(Box::new(renamed)),
                mycel_search::Change::Remove(LEAD),
            ],
            Some("42"),
        )
        .unwrap();
    assert_eq!(applied, 2);
    assert_eq!(index.commit_marker().unwrap().as_deref(), Some("42"));
    assert_eq!(ids(&index, &query("Stapler fahren", TENANT_A)), vec![FORK]);
    assert!(ids(&index, &query("Führung", TENANT_A)).is_empty());
    // A write without marker keeps it.
    index.remove(SCRIPT).unwrap();
    assert_eq!(index.commit_marker().unwrap().as_deref(), Some("42"));
}

#[test]
fn facets_and_order_are_the_same_over_many_segments() {
    let one_segment = index();
    let many = SearchIndex::in_memory().unwrap();
    for doc in catalogue() {
        many.upsert(&doc).unwrap();
    }
    // And one document replaced, leaving a deleted copy behind.
    many.upsert(&catalogue()[3]).unwrap();
    for tenant in [TENANT_A, TENANT_B] {
        let mut q = query("", tenant);
        q.sort = SortOrder::Newest;
        q.filters.modalities.insert("classroom".to_string());
        q.filters.modalities.insert("scorm".to_string());
        let expected = one_segment.search(&q).unwrap();
        let actual = many.search(&q).unwrap();
        assert_eq!(actual, expected);
        assert!(expected.total >= 2);
    }
}

#[test]
fn replace_all_keeps_one_copy_of_a_repeated_id() {
    let index = SearchIndex::in_memory().unwrap();
    let mut docs = catalogue();
    let mut again = docs[0].clone();
    again.titles = vec![(Lang::De, "Stapler fahren".to_string())];
    docs.push(again);
    index.replace_all(&docs, None).unwrap();
    assert_eq!(index.num_documents(), 7);
    assert_eq!(ids(&index, &query("Stapler fahren", TENANT_A)), vec![FORK]);
    assert!(ids(&index, &query("Forklift", TENANT_A)).is_empty());
    // Replacing drops what is not given again.
    index.replace_all(&docs[..2], Some("9")).unwrap();
    assert_eq!(index.num_documents(), 2);
    assert_eq!(index.commit_marker().unwrap().as_deref(), Some("9"));
}

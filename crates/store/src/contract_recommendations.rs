//! The contract of [`crate::RecommendationStore`]: feedback kept per person and opportunity,
//! changeable and removable, and only the company's; ratings keep the newest per person and
//! opportunity; peers are the current holders of the roles, never the person asking; the newest
//! opportunities are the published ones the company may see.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::catalogue::{CompletionRecord, OpportunityRecord};
use crate::contract_catalogue::company;
use crate::contract_competencies::person;
use crate::recommendations::*;
use crate::*;
use chrono::{Duration, SubsecRound, Utc};
use mycel_catalogue::audience::AudienceEntry;
use mycel_catalogue::{Lifecycle, Modality, OpportunityDraft};
use mycel_competency::scale::LocalizedText;
use mycel_organisation::{OpportunityId, PersonId, RoleAssignmentKind};

async fn offer(
    store: &dyn Store,
    scope: TenantScope,
    title: &str,
    lifecycle: Lifecycle,
    network: bool,
) -> OpportunityRecord {
    let mut draft = OpportunityDraft::new(
        Modality::Classroom,
        LocalizedText::new(format!("{title} (de)"), title),
        "de",
    );
    if network {
        draft.audience = vec![AudienceEntry::Network];
    }
    store
        .create_opportunity(scope, &draft, lifecycle)
        .await
        .unwrap()
}

fn feedback(
    person: PersonId,
    opportunity: OpportunityId,
    kind: FeedbackKind,
    seconds_ago: i64,
) -> RecommendationFeedback {
    RecommendationFeedback {
        person_id: person,
        opportunity_id: opportunity,
        kind,
        given_at: (Utc::now() - Duration::seconds(seconds_ago)).trunc_subsecs(6),
    }
}

pub async fn recommendation_feedback_is_kept_per_person_and_changeable(store: &dyn Store) {
    let nord = company(store, "nord").await;
    let sued = company(store, "sued").await;
    let anna = person(store, nord, "Anna", None).await;
    let ben = person(store, nord, "Ben", None).await;
    let first = offer(store, nord, "Kasse", Lifecycle::Published, false).await;
    // Another company's offer to the network can get feedback too.
    let offered = offer(store, sued, "Lager", Lifecycle::Published, true).await;

    let older = feedback(anna.id, first.id, FeedbackKind::NotInterested, 60);
    let newer = feedback(anna.id, offered.id, FeedbackKind::AlreadyKnown, 0);
    store
        .set_recommendation_feedback(nord, &older)
        .await
        .unwrap();
    store
        .set_recommendation_feedback(nord, &newer)
        .await
        .unwrap();
    assert_eq!(
        store
            .recommendation_feedback(nord, anna.id, 100)
            .await
            .unwrap(),
        vec![newer.clone(), older.clone()],
        "newest first"
    );
    assert_eq!(
        store
            .recommendation_feedback(nord, anna.id, 1)
            .await
            .unwrap(),
        vec![newer.clone()]
    );
    assert!(store
        .recommendation_feedback(nord, ben.id, 100)
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .recommendation_feedback(sued, anna.id, 100)
        .await
        .unwrap()
        .is_empty());

    // Changing the kind keeps one row.
    let changed = feedback(anna.id, first.id, FeedbackKind::AlreadyKnown, 0);
    store
        .set_recommendation_feedback(nord, &changed)
        .await
        .unwrap();
    let listed = store
        .recommendation_feedback(nord, anna.id, 100)
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&changed));

    // Removing: once, and only in the person's own company.
    assert!(!store
        .remove_recommendation_feedback(sued, anna.id, first.id)
        .await
        .unwrap());
    assert!(store
        .remove_recommendation_feedback(nord, anna.id, first.id)
        .await
        .unwrap());
    assert!(!store
        .remove_recommendation_feedback(nord, anna.id, first.id)
        .await
        .unwrap());
    assert_eq!(
        store
            .recommendation_feedback(nord, anna.id, 100)
            .await
            .unwrap(),
        vec![newer]
    );

    // Feedback of someone who is not a person of the company is refused.
    let stranger = person(store, sued, "Sam", None).await;
    assert!(matches!(
        store
            .set_recommendation_feedback(
                nord,
                &feedback(stranger.id, first.id, FeedbackKind::NotInterested, 0)
            )
            .await,
        Err(StoreError::InvalidReference(_))
    ));
}

fn rating(
    person: PersonId,
    opportunity: OpportunityId,
    stars: u8,
    minutes_ago: i64,
    statement: &str,
) -> RatingRecord {
    RatingRecord {
        person_id: person,
        opportunity_id: opportunity,
        stars,
        rated_at: (Utc::now() - Duration::minutes(minutes_ago)).trunc_subsecs(6),
        statement_id: statement.into(),
    }
}

pub async fn ratings_keep_the_newest_per_person_and_count_peers(store: &dyn Store) {
    let nord = company(store, "nord").await;
    let sued = company(store, "sued").await;
    let anna = person(store, nord, "Anna", None).await;
    let ben = person(store, nord, "Ben", None).await;
    let carla = person(store, nord, "Carla", None).await;
    let dora = person(store, nord, "Dora", None).await;
    let popular = offer(store, nord, "Kasse", Lifecycle::Published, false).await;
    let rare = offer(store, nord, "Lager", Lifecycle::Published, false).await;

    // Ben rates twice (the later one wins, whatever order they arrive in), Carla once.
    let newer = rating(ben.id, popular.id, 4, 1, "s-2");
    let older = rating(ben.id, popular.id, 2, 10, "s-1");
    assert_eq!(
        store
            .record_ratings(nord, &[newer.clone(), older.clone()])
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .record_ratings(nord, std::slice::from_ref(&older))
            .await
            .unwrap(),
        0,
        "an older rating arriving later changes nothing"
    );
    assert_eq!(
        store
            .record_ratings(nord, std::slice::from_ref(&newer))
            .await
            .unwrap(),
        0,
        "the same statement again changes nothing"
    );
    store
        .record_ratings(nord, &[rating(carla.id, popular.id, 5, 0, "s-3")])
        .await
        .unwrap();
    assert_eq!(
        store.rating_of(nord, ben.id, popular.id).await.unwrap(),
        Some(newer)
    );
    assert_eq!(
        store.rating_of(nord, anna.id, popular.id).await.unwrap(),
        None
    );
    let summary = store.rating_summary(nord, popular.id).await.unwrap();
    assert_eq!(
        summary,
        RatingSummary {
            count: 2,
            stars_sum: 9
        }
    );
    assert_eq!(summary.average(), Some(4.5));
    assert_eq!(
        store.rating_summary(nord, rare.id).await.unwrap(),
        RatingSummary::default()
    );
    assert_eq!(
        store.rating_summary(sued, popular.id).await.unwrap().count,
        0,
        "another company sees none"
    );
    // A rating of another company's opportunity is refused.
    assert!(store
        .record_ratings(sued, &[rating(ben.id, popular.id, 3, 0, "s-4")])
        .await
        .is_err());

    // Peers: current holders of the role. Ben and Carla completed the popular one, Carla the
    // rare one; Dora only aspires to the role; Anna asks.
    let role = store
        .create_role(
            nord,
            NewRole {
                name: "Kasse".into(),
                description: None,
            },
        )
        .await
        .unwrap();
    for (who, kind) in [
        (anna.id, RoleAssignmentKind::Current),
        (ben.id, RoleAssignmentKind::Current),
        (carla.id, RoleAssignmentKind::Current),
        (dora.id, RoleAssignmentKind::Aspired),
    ] {
        store.assign_role(nord, who, role.id, kind).await.unwrap();
    }
    let done = |who: PersonId, what: OpportunityId, statement: &str| CompletionRecord {
        person_id: who,
        opportunity_id: what,
        completed_at: Utc::now().trunc_subsecs(6),
        statement_id: statement.into(),
    };
    store
        .record_completions(
            nord,
            &[
                done(ben.id, popular.id, "c-1"),
                done(ben.id, popular.id, "c-2"),
                done(carla.id, popular.id, "c-3"),
                done(carla.id, rare.id, "c-4"),
                done(dora.id, rare.id, "c-5"),
                done(anna.id, rare.id, "c-6"),
            ],
        )
        .await
        .unwrap();
    let top = store
        .peer_activity(nord, &[role.id], anna.id, PeerQuery::Top(10))
        .await
        .unwrap();
    assert_eq!(
        top,
        vec![
            PeerActivity {
                opportunity_id: popular.id,
                completed_by: 2,
                ratings: RatingSummary {
                    count: 2,
                    stars_sum: 9
                },
            },
            PeerActivity {
                opportunity_id: rare.id,
                completed_by: 1,
                ratings: RatingSummary::default(),
            },
        ],
        "each person once, aspiring holders and the asker not counted"
    );
    assert_eq!(
        store
            .peer_activity(nord, &[role.id], anna.id, PeerQuery::Top(1))
            .await
            .unwrap()
            .len(),
        1
    );
    let of = store
        .peer_activity(nord, &[role.id], carla.id, PeerQuery::Of(&[rare.id]))
        .await
        .unwrap();
    assert_eq!(of.len(), 1);
    assert_eq!(of[0].completed_by, 1, "Anna's completion, not Carla's");
    assert!(store
        .peer_activity(nord, &[], anna.id, PeerQuery::Top(10))
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .peer_activity(sued, &[role.id], anna.id, PeerQuery::Top(10))
        .await
        .unwrap()
        .is_empty());
}

pub async fn the_newest_opportunities_are_those_the_company_may_see(store: &dyn Store) {
    let nord = company(store, "nord").await;
    let sued = company(store, "sued").await;
    let own = offer(store, nord, "Kasse", Lifecycle::Published, false).await;
    let _draft = offer(store, nord, "Entwurf", Lifecycle::Draft, false).await;
    let _private = offer(store, sued, "Nur Süd", Lifecycle::Published, false).await;
    let offered = offer(store, sued, "Für alle", Lifecycle::Published, true).await;
    let since = Utc::now() - Duration::days(1);
    let newest = store.newest_opportunities(nord, since, 10).await.unwrap();
    let ids: Vec<OpportunityId> = newest.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, vec![offered.id, own.id], "newest first");
    assert_eq!(newest[1].1, own.created_at);
    assert_eq!(
        store
            .newest_opportunities(nord, since, 1)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(store
        .newest_opportunities(nord, Utc::now() + Duration::days(1), 10)
        .await
        .unwrap()
        .is_empty());
}

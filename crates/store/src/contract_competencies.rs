//! The contract of [`crate::CompetencyStore`]: imports and re-imports, visibility of frameworks
//! between tenants, role profiles, evidence, estimates, goals, sharing and the group pages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::competencies::*;
use crate::*;
use chrono::{Duration, SubsecRound, Utc};
use mycel_competency::framework::{Label, Labels};
use mycel_competency::scale::Level;
use mycel_competency::*;
use mycel_organisation::*;

fn labels(en: &str, de: Option<&str>) -> Labels {
    let mut labels = Labels::new();
    labels.insert(
        "en".into(),
        Label {
            preferred: en.into(),
            alternatives: vec![format!("{en} (synonym)")],
            description: Some(format!("About {en}.")),
        },
    );
    if let Some(de) = de {
        labels.insert(
            "de".into(),
            Label {
                preferred: de.into(),
                alternatives: vec![],
                description: None,
            },
        );
    }
    labels
}

fn competency(uri: &str, en: &str, de: Option<&str>) -> ImportedCompetency {
    ImportedCompetency {
        uri: uri.into(),
        code: None,
        kind: CompetencyKind::Skill,
        category: Some("cross-sector".into()),
        labels: labels(en, de),
    }
}

/// A small ESCO-like framework: a group with two skills, one requiring the other, and an
/// occupation needing both.
pub(crate) fn esco_like(version: &str, with_cashier: bool) -> FrameworkImport {
    let mut competencies = vec![
        ImportedCompetency {
            kind: CompetencyKind::Group,
            ..competency("esco:group/retail", "retail skills", Some("Einzelhandel"))
        },
        competency(
            "esco:skill/shelves",
            "stock shelves",
            Some("Regale auffüllen"),
        ),
    ];
    let mut relations = vec![ImportedRelation {
        from: "esco:skill/shelves".into(),
        kind: RelationKind::Broader,
        to: "esco:group/retail".into(),
    }];
    let mut requirements = vec![OccupationRequirement {
        competency_uri: "esco:skill/shelves".into(),
        kind: RequirementKind::Required,
    }];
    if with_cashier {
        competencies.push(competency("esco:skill/till", "operate cash register", None));
        relations.push(ImportedRelation {
            from: "esco:skill/till".into(),
            kind: RelationKind::Broader,
            to: "esco:group/retail".into(),
        });
        relations.push(ImportedRelation {
            from: "esco:skill/till".into(),
            kind: RelationKind::Essential,
            to: "esco:skill/shelves".into(),
        });
        requirements.push(OccupationRequirement {
            competency_uri: "esco:skill/till".into(),
            kind: RequirementKind::Desired,
        });
    }
    FrameworkImport {
        kind: FrameworkKind::Esco,
        uri: "http://data.europa.eu/esco".into(),
        title: labels("ESCO", Some("ESCO")),
        version: version.into(),
        competencies,
        relations,
        occupations: vec![ImportedOccupation {
            uri: "esco:occupation/shop-assistant".into(),
            code: Some("5223.1".into()),
            isco_group: Some("5223".into()),
            labels: labels("shop assistant", Some("Verkäufer/Verkäuferin")),
            requirements,
        }],
    }
}

fn own_framework(link_to: &str) -> FrameworkImport {
    FrameworkImport {
        kind: FrameworkKind::Own,
        uri: "kasse".into(),
        title: labels("Checkout", Some("Kasse")),
        version: "1".into(),
        competencies: vec![competency(
            "kasse-01",
            "returns at the till",
            Some("Retouren an der Kasse"),
        )],
        relations: vec![ImportedRelation {
            from: "kasse-01".into(),
            kind: RelationKind::ExactMatch,
            to: link_to.into(),
        }],
        occupations: vec![],
    }
}

pub(crate) fn no_progress(_: ImportProgress) {}

async fn tenant(store: &dyn Store, slug: &str) -> TenantScope {
    let t = store
        .create_tenant(NewTenant {
            slug: slug.into(),
            name: format!("{slug} eG"),
        })
        .await
        .unwrap();
    TenantScope::system(t.id)
}

pub(crate) async fn person(
    store: &dyn Store,
    scope: TenantScope,
    name: &str,
    unit: Option<OrgUnitId>,
) -> Person {
    store
        .create_person(
            scope,
            NewPerson {
                display_name: name.into(),
                org_unit_id: unit,
                ..Default::default()
            },
        )
        .await
        .unwrap()
}

pub(crate) async fn find(
    store: &dyn Store,
    scope: TenantScope,
    text: &str,
) -> Vec<CompetencyRecord> {
    store
        .search_competencies(
            scope,
            &CompetencySearch {
                text: Some(text.into()),
                limit: 20,
                ..Default::default()
            },
        )
        .await
        .unwrap()
}

pub(crate) fn evidence(
    person: PersonId,
    competency: CompetencyId,
    kind: EvidenceKind,
    level: f64,
    link: Option<&str>,
) -> Evidence {
    // At the microsecond precision both databases keep.
    let now = Utc::now().trunc_subsecs(6);
    Evidence {
        id: EvidenceId::generate(),
        person_id: person,
        competency_id: competency,
        kind,
        level: Level::new(level).unwrap(),
        observed_at: now - Duration::days(1),
        author_id: None,
        source: "contract test".into(),
        link: link.map(str::to_owned),
        note: None,
        recorded_at: now,
    }
}

pub async fn frameworks_import_and_reimport_keep_ids_and_evidence(store: &dyn Store) {
    let scope = tenant(store, "nord").await;
    let summary = store
        .import_framework(None, &esco_like("v1", true), &no_progress)
        .await
        .unwrap();
    assert_eq!(summary.competencies_added, 3);
    assert_eq!(summary.relations, 3);
    assert_eq!(summary.occupations_added, 1);
    assert_eq!(summary.occupation_requirements, 2);

    let frameworks = store.frameworks(scope).await.unwrap();
    assert_eq!(frameworks.len(), 1);
    assert_eq!(frameworks[0].tenant_id, None);
    assert_eq!(frameworks[0].version, "v1");

    let till = find(store, scope, "CASH register").await;
    assert_eq!(till.len(), 1, "search is case-insensitive");
    let till = till[0].clone();
    assert_eq!(
        till.labels["en"].alternatives,
        vec!["operate cash register (synonym)".to_owned()]
    );
    let shelves = find(store, scope, "regale").await;
    assert_eq!(shelves.len(), 1, "German labels are searched too");
    let shelves = shelves[0].clone();
    assert_eq!(shelves.labels["de"].preferred, "Regale auffüllen");

    // The hierarchy: the group is the top level, the skills its children.
    let top = store
        .search_competencies(
            scope,
            &CompetencySearch {
                framework_id: Some(frameworks[0].id),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        top.iter().map(|c| c.uri.as_str()).collect::<Vec<_>>(),
        vec!["esco:group/retail"]
    );
    let children = store
        .search_competencies(
            scope,
            &CompetencySearch {
                broader: Some(top[0].id),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(children.len(), 2);
    let relations = store
        .competency_relations(scope, till.id, 10)
        .await
        .unwrap();
    assert!(relations
        .iter()
        .any(|r| r.kind == RelationKind::Essential && r.outgoing && r.other.id == shelves.id));
    assert!(relations
        .iter()
        .any(|r| r.kind == RelationKind::Broader && r.outgoing && r.other.id == top[0].id));
    let needing = store.occupations_needing(scope, till.id, 10).await.unwrap();
    assert_eq!(needing.len(), 1);
    assert_eq!(needing[0].1, RequirementKind::Desired);
    assert_eq!(needing[0].0.labels["de"].preferred, "Verkäufer/Verkäuferin");

    let anna = person(store, scope, "Anna", None).await;
    store
        .add_evidence(
            scope,
            &[evidence(
                anna.id,
                till.id,
                EvidenceKind::SelfAssessment,
                2.0,
                None,
            )],
        )
        .await
        .unwrap();

    // Version 2 drops the till skill and renames the shelves skill.
    let mut v2 = esco_like("v2", false);
    v2.competencies[1].labels = labels("fill shelves", Some("Regale befüllen"));
    let summary = store
        .import_framework(None, &v2, &no_progress)
        .await
        .unwrap();
    assert_eq!(summary.competencies_added, 0);
    assert_eq!(summary.competencies_updated, 2);
    assert_eq!(summary.competencies_obsolete, 1);
    assert_eq!(store.frameworks(scope).await.unwrap()[0].version, "v2");
    let after = store
        .competencies(scope, &[till.id, shelves.id])
        .await
        .unwrap();
    let till_after = after
        .iter()
        .find(|c| c.id == till.id)
        .expect("the obsolete item is kept");
    assert!(till_after.obsolete);
    let shelves_after = after
        .iter()
        .find(|c| c.id == shelves.id)
        .expect("same id after re-import");
    assert!(!shelves_after.obsolete);
    assert_eq!(shelves_after.labels["en"].preferred, "fill shelves");
    assert!(
        find(store, scope, "cash register").await.is_empty(),
        "obsolete items are not found by search"
    );
    let kept = store.evidence(scope, anna.id, Some(till.id)).await.unwrap();
    assert_eq!(kept.len(), 1, "evidence stays attached to its competency");
    let occupation = &store.search_occupations(scope, "shop", 5).await.unwrap()[0];
    assert_eq!(
        store
            .occupation_requirements(scope, occupation.id)
            .await
            .unwrap()
            .len(),
        1
    );

    // And back: the item is current again, with its old id.
    store
        .import_framework(None, &esco_like("v3", true), &no_progress)
        .await
        .unwrap();
    let again = find(store, scope, "cash register").await;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].id, till.id);
}

pub async fn an_import_with_unknown_references_imports_nothing(store: &dyn Store) {
    let scope = tenant(store, "nord").await;
    let mut bad = esco_like("v1", true);
    bad.relations.push(ImportedRelation {
        from: "esco:skill/till".into(),
        kind: RelationKind::Related,
        to: "esco:skill/nowhere".into(),
    });
    let err = store
        .import_framework(None, &bad, &no_progress)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::InvalidReference(m) if m.contains("esco:skill/nowhere")),
        "{err:?}"
    );
    assert!(
        store.frameworks(scope).await.unwrap().is_empty(),
        "nothing was written"
    );
    assert!(find(store, scope, "shelves").await.is_empty());

    let mut bad = esco_like("v1", true);
    bad.occupations[0].requirements.push(OccupationRequirement {
        competency_uri: "esco:skill/ghost".into(),
        kind: RequirementKind::Required,
    });
    let err = store
        .import_framework(None, &bad, &no_progress)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::InvalidReference(m) if m.contains("esco:skill/ghost")),
        "{err:?}"
    );
    assert!(store.frameworks(scope).await.unwrap().is_empty());
}

pub async fn own_frameworks_are_seen_only_by_their_tenant(store: &dyn Store) {
    let nord = tenant(store, "nord").await;
    let sued = tenant(store, "sued").await;
    store
        .import_framework(None, &esco_like("v1", true), &no_progress)
        .await
        .unwrap();
    // A link to an item nobody has fails; a link to ESCO works.
    let err = store
        .import_framework(
            Some(nord),
            &own_framework("esco:skill/unknown"),
            &no_progress,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidReference(_)));
    store
        .import_framework(Some(nord), &own_framework("esco:skill/till"), &no_progress)
        .await
        .unwrap();

    assert_eq!(store.frameworks(nord).await.unwrap().len(), 2);
    assert_eq!(store.frameworks(sued).await.unwrap().len(), 1, "only ESCO");
    let own = find(store, nord, "retouren").await;
    assert_eq!(own.len(), 1);
    assert!(find(store, sued, "retouren").await.is_empty());
    // The whole vocabulary of a framework, paged by id; another company's is not there.
    let own_framework_id = own[0].framework_id;
    let vocabulary = store
        .framework_competencies(nord, own_framework_id, None, 100)
        .await
        .unwrap();
    assert_eq!(vocabulary.len(), 1);
    assert_eq!(vocabulary[0].id, own[0].id);
    assert!(!vocabulary[0].labels.is_empty(), "with labels");
    assert!(store
        .framework_competencies(sued, own_framework_id, None, 100)
        .await
        .unwrap()
        .is_empty());
    let esco_id = store
        .frameworks(sued)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.tenant_id.is_none())
        .unwrap()
        .id;
    let first = store
        .framework_competencies(sued, esco_id, None, 2)
        .await
        .unwrap();
    assert_eq!(first.len(), 2);
    let rest = store
        .framework_competencies(sued, esco_id, Some(first[1].id), 100)
        .await
        .unwrap();
    assert!(rest.iter().all(|c| c.id > first[1].id));
    assert_eq!(
        first.len() + rest.len(),
        3,
        "the ESCO-like framework's three items"
    );
    assert!(store
        .competencies(sued, &[own[0].id])
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        store.competency_relations(sued, own[0].id, 10).await,
        Err(StoreError::NotFound(_))
    ));
    let own_framework_id = own[0].framework_id;
    assert!(matches!(
        store.framework(sued, own_framework_id).await,
        Err(StoreError::NotFound(_))
    ));

    // The link is a relation to the ESCO item, seen from both sides by the owner only.
    let till = find(store, nord, "cash register").await[0].clone();
    let from_esco = store.competency_relations(nord, till.id, 10).await.unwrap();
    assert!(from_esco
        .iter()
        .any(|r| r.kind == RelationKind::ExactMatch && !r.outgoing && r.other.id == own[0].id));
    let seen_by_sued = store.competency_relations(sued, till.id, 10).await.unwrap();
    assert!(!seen_by_sued
        .iter()
        .any(|r| r.kind == RelationKind::ExactMatch));

    // Another tenant cannot use the item in role profiles, evidence, goals or alignments.
    let role = store
        .create_role(
            sued,
            NewRole {
                name: "Kassierer".into(),
                description: None,
            },
        )
        .await
        .unwrap();
    let requirement = RoleRequirement {
        competency_id: own[0].id,
        kind: RequirementKind::Required,
        target: Level::new(2.0).unwrap(),
    };
    assert!(matches!(
        store
            .set_role_requirements(sued, role.id, &[requirement])
            .await,
        Err(StoreError::InvalidReference(_))
    ));
    let bert = person(store, sued, "Bert", None).await;
    let foreign = evidence(bert.id, own[0].id, EvidenceKind::SelfAssessment, 1.0, None);
    assert!(matches!(
        store.add_evidence(sued, &[foreign]).await,
        Err(StoreError::InvalidReference(_))
    ));
    assert!(matches!(
        store
            .align_activity(
                sued,
                "https://example.com/a",
                own[0].id,
                Level::new(2.0).unwrap()
            )
            .await,
        Err(StoreError::InvalidReference(_))
    ));
}

pub async fn role_profiles_are_replaced_whole(store: &dyn Store) {
    let scope = tenant(store, "nord").await;
    let other = tenant(store, "sued").await;
    store
        .import_framework(None, &esco_like("v1", true), &no_progress)
        .await
        .unwrap();
    let till = find(store, scope, "cash register").await[0].id;
    let shelves = find(store, scope, "stock shelves").await[0].id;
    let role = store
        .create_role(
            scope,
            NewRole {
                name: "Verkäufer".into(),
                description: None,
            },
        )
        .await
        .unwrap();
    let level = |v| Level::new(v).unwrap();
    store
        .set_role_requirements(
            scope,
            role.id,
            &[
                RoleRequirement {
                    competency_id: till,
                    kind: RequirementKind::Required,
                    target: level(3.0),
                },
                RoleRequirement {
                    competency_id: shelves,
                    kind: RequirementKind::Desired,
                    target: level(1.5),
                },
            ],
        )
        .await
        .unwrap();
    let profile = store.role_requirements(scope, role.id).await.unwrap();
    assert_eq!(profile.len(), 2);
    assert_eq!(profile[0].kind, RequirementKind::Required, "required first");
    assert_eq!(profile[0].target, level(3.0));
    store
        .set_role_requirements(
            scope,
            role.id,
            &[RoleRequirement {
                competency_id: shelves,
                kind: RequirementKind::Required,
                target: level(2.0),
            }],
        )
        .await
        .unwrap();
    let profile = store.role_requirements(scope, role.id).await.unwrap();
    assert_eq!(
        profile,
        vec![RoleRequirement {
            competency_id: shelves,
            kind: RequirementKind::Required,
            target: level(2.0)
        }]
    );
    assert_eq!(
        store.roles_requiring(scope, shelves).await.unwrap().len(),
        1
    );
    assert!(store.roles_requiring(scope, till).await.unwrap().is_empty());

    // Someone holding the role has its targets.
    let anna = person(store, scope, "Anna", None).await;
    store
        .assign_role(scope, anna.id, role.id, RoleAssignmentKind::Aspired)
        .await
        .unwrap();
    let targets = store.person_role_targets(scope, anna.id).await.unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0].assignment, RoleAssignmentKind::Aspired);

    // Another tenant's role is not found.
    assert!(matches!(
        store.role_requirements(other, role.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.set_role_requirements(other, role.id, &[]).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store.role_requirements(scope, role.id).await.unwrap().len(),
        1,
        "unchanged"
    );
}

pub async fn evidence_and_estimates_are_kept_per_person(store: &dyn Store) {
    let scope = tenant(store, "nord").await;
    let other = tenant(store, "sued").await;
    store
        .import_framework(None, &esco_like("v1", true), &no_progress)
        .await
        .unwrap();
    let till = find(store, scope, "cash register").await[0].id;
    let shelves = find(store, scope, "stock shelves").await[0].id;
    let anna = person(store, scope, "Anna", None).await;
    let bert = person(store, scope, "Bert", None).await;
    let mut rating = evidence(anna.id, till, EvidenceKind::ManagerAssessment, 3.0, None);
    rating.author_id = Some(bert.id);
    rating.note = Some("an der Kasse sicher".into());
    let statement = evidence(
        anna.id,
        till,
        EvidenceKind::Statement,
        2.0,
        Some("urn:statement:1"),
    );
    assert_eq!(
        store
            .add_evidence(scope, &[rating.clone(), statement.clone()])
            .await
            .unwrap(),
        2
    );
    // The same statement again (the feed delivered it twice) adds nothing.
    let again = Evidence {
        id: EvidenceId::generate(),
        ..statement.clone()
    };
    assert_eq!(store.add_evidence(scope, &[again]).await.unwrap(), 0);
    // … but a second rating by the same author is kept (the estimate decides what counts).
    let second = Evidence {
        id: EvidenceId::generate(),
        ..rating.clone()
    };
    assert_eq!(store.add_evidence(scope, &[second]).await.unwrap(), 1);
    store
        .add_evidence(
            scope,
            &[evidence(
                anna.id,
                shelves,
                EvidenceKind::TestResult,
                1.0,
                None,
            )],
        )
        .await
        .unwrap();

    let all = store.evidence(scope, anna.id, None).await.unwrap();
    assert_eq!(all.len(), 4);
    let of_till = store.evidence(scope, anna.id, Some(till)).await.unwrap();
    assert_eq!(of_till.len(), 3);
    assert!(of_till.contains(&rating));
    assert_eq!(store.evidence_item(scope, rating.id).await.unwrap(), rating);
    assert!(store
        .evidence(scope, bert.id, None)
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        store.evidence_item(other, rating.id).await,
        Err(StoreError::NotFound(_))
    ));
    // Evidence about a person of another tenant cannot be written.
    let stranger = person(store, other, "Fremd", None).await;
    assert!(store
        .add_evidence(
            scope,
            &[evidence(
                stranger.id,
                till,
                EvidenceKind::SelfAssessment,
                1.0,
                None
            )]
        )
        .await
        .is_err());

    let pairs = store.evidence_pairs(scope, None, 10).await.unwrap();
    assert_eq!(pairs.len(), 2);
    let rest = store
        .evidence_pairs(scope, Some(pairs[0]), 10)
        .await
        .unwrap();
    assert_eq!(rest, pairs[1..].to_vec());

    let at = Utc::now().trunc_subsecs(6);
    let estimate = EstimateRecord {
        person_id: anna.id,
        competency_id: till,
        level: Level::new(2.5).unwrap(),
        confidence: 0.6,
        evidence_count: 3,
        computed_at: at,
    };
    store
        .put_estimates(scope, std::slice::from_ref(&estimate))
        .await
        .unwrap();
    let updated = EstimateRecord {
        level: Level::new(2.75).unwrap(),
        confidence: 0.7,
        ..estimate
    };
    store
        .put_estimates(scope, std::slice::from_ref(&updated))
        .await
        .unwrap();
    assert_eq!(
        store.estimates(scope, anna.id).await.unwrap(),
        vec![updated]
    );
    assert!(store.estimates(other, anna.id).await.unwrap().is_empty());
}

pub async fn goals_sharing_and_group_pages(store: &dyn Store) {
    let scope = tenant(store, "nord").await;
    store
        .import_framework(None, &esco_like("v1", true), &no_progress)
        .await
        .unwrap();
    let till = find(store, scope, "cash register").await[0].id;
    let shelves = find(store, scope, "stock shelves").await[0].id;
    let level = |v| Level::new(v).unwrap();
    let region = store
        .create_org_unit(
            scope,
            NewOrgUnit {
                parent_id: None,
                name: "Region".into(),
            },
        )
        .await
        .unwrap();
    let market = store
        .create_org_unit(
            scope,
            NewOrgUnit {
                parent_id: Some(region.id),
                name: "Markt".into(),
            },
        )
        .await
        .unwrap();
    let office = store
        .create_org_unit(
            scope,
            NewOrgUnit {
                parent_id: None,
                name: "Zentrale".into(),
            },
        )
        .await
        .unwrap();
    let role = store
        .create_role(
            scope,
            NewRole {
                name: "Verkäufer".into(),
                description: None,
            },
        )
        .await
        .unwrap();
    store
        .set_role_requirements(
            scope,
            role.id,
            &[RoleRequirement {
                competency_id: till,
                kind: RequirementKind::Required,
                target: level(3.0),
            }],
        )
        .await
        .unwrap();
    let mut in_market = Vec::new();
    for i in 0..3 {
        let p = person(store, scope, &format!("P{i}"), Some(market.id)).await;
        store
            .assign_role(scope, p.id, role.id, RoleAssignmentKind::Current)
            .await
            .unwrap();
        in_market.push(p);
    }
    let elsewhere = person(store, scope, "Z", Some(office.id)).await;
    store
        .assign_role(scope, elsewhere.id, role.id, RoleAssignmentKind::Current)
        .await
        .unwrap();

    // A goal adds a target; an aspired role does not count for the group.
    let goal = LearningGoal {
        id: LearningGoalId::generate(),
        person_id: in_market[0].id,
        competency_id: shelves,
        target: level(2.0),
        due: None,
        created_at: Utc::now(),
    };
    store
        .create_learning_goal(scope, goal.clone())
        .await
        .unwrap();
    assert_eq!(
        store
            .learning_goals(scope, in_market[0].id)
            .await
            .unwrap()
            .len(),
        1
    );
    store
        .put_estimates(
            scope,
            &[EstimateRecord {
                person_id: in_market[1].id,
                competency_id: till,
                level: level(1.0),
                confidence: 0.5,
                evidence_count: 1,
                computed_at: Utc::now(),
            }],
        )
        .await
        .unwrap();
    store
        .set_profile_shared(scope, in_market[2].id, true)
        .await
        .unwrap();
    assert!(store.profile_shared(scope, in_market[2].id).await.unwrap());
    assert!(!store.profile_shared(scope, in_market[1].id).await.unwrap());

    let page = store
        .group_competencies(scope, PeopleGroup::OrgUnit(region.id), None, 2)
        .await
        .unwrap();
    assert_eq!(page.len(), 2, "a page");
    let rest = store
        .group_competencies(
            scope,
            PeopleGroup::OrgUnit(region.id),
            Some(page[1].person_id),
            10,
        )
        .await
        .unwrap();
    assert_eq!(rest.len(), 1, "the subtree has three people");
    let all: Vec<PersonCompetencies> = page.into_iter().chain(rest).collect();
    let first = all.iter().find(|p| p.person_id == in_market[0].id).unwrap();
    assert_eq!(first.targets.len(), 2, "role and goal");
    let second = all.iter().find(|p| p.person_id == in_market[1].id).unwrap();
    assert_eq!(second.estimates, vec![(till, level(1.0), 0.5)]);
    assert!(
        all.iter()
            .find(|p| p.person_id == in_market[2].id)
            .unwrap()
            .shared
    );
    assert_eq!(
        store
            .group_competencies(scope, PeopleGroup::Tenant, None, 100)
            .await
            .unwrap()
            .len(),
        4
    );
    let lead = person(store, scope, "Lead", None).await;
    let mut update = PersonUpdate::from(&in_market[1]);
    update.manager_id = Some(lead.id);
    store
        .update_person(scope, in_market[1].id, update)
        .await
        .unwrap();
    let team = store
        .group_competencies(scope, PeopleGroup::ReportsOf(lead.id), None, 100)
        .await
        .unwrap();
    assert_eq!(
        team.iter().map(|p| p.person_id).collect::<Vec<_>>(),
        vec![in_market[1].id]
    );

    store
        .delete_learning_goal(scope, in_market[0].id, goal.id)
        .await
        .unwrap();
    assert!(matches!(
        store
            .delete_learning_goal(scope, in_market[0].id, goal.id)
            .await,
        Err(StoreError::NotFound(_))
    ));
    store
        .set_profile_shared(scope, in_market[2].id, false)
        .await
        .unwrap();
    assert!(!store.profile_shared(scope, in_market[2].id).await.unwrap());
}

pub async fn activity_alignments_and_feed_cursors(store: &dyn Store) {
    let scope = tenant(store, "nord").await;
    let other = tenant(store, "sued").await;
    store
        .import_framework(None, &esco_like("v1", true), &no_progress)
        .await
        .unwrap();
    let till = find(store, scope, "cash register").await[0].id;
    let activity = "https://lernen.example/kasse".to_owned();
    store
        .align_activity(scope, &activity, till, Level::new(2.0).unwrap())
        .await
        .unwrap();
    store
        .align_activity(scope, &activity, till, Level::new(3.0).unwrap())
        .await
        .unwrap();
    assert_eq!(
        store
            .activity_alignments(scope, &[activity.clone(), "https://other".into()])
            .await
            .unwrap(),
        vec![(activity.clone(), till, Level::new(3.0).unwrap())]
    );
    assert!(store
        .activity_alignments(other, &[activity])
        .await
        .unwrap()
        .is_empty());

    assert_eq!(store.feed_cursor(scope, "evidence").await.unwrap(), 0);
    store.set_feed_cursor(scope, "evidence", 42).await.unwrap();
    store.set_feed_cursor(scope, "evidence", 43).await.unwrap();
    assert_eq!(store.feed_cursor(scope, "evidence").await.unwrap(), 43);
    assert_eq!(store.feed_cursor(other, "evidence").await.unwrap(), 0);
}

pub async fn case_links_to_unknown_items_are_reported_not_fatal(store: &dyn Store) {
    let scope = tenant(store, "nord").await;
    store
        .import_framework(None, &esco_like("v1", true), &no_progress)
        .await
        .unwrap();
    let mut case = own_framework("https://case.example.org/uri/elsewhere");
    case.kind = FrameworkKind::Case;
    case.relations.push(ImportedRelation {
        from: "kasse-01".into(),
        kind: RelationKind::Related,
        to: "esco:skill/till".into(),
    });
    let summary = store
        .import_framework(Some(scope), &case, &no_progress)
        .await
        .unwrap();
    assert_eq!(
        summary.unresolved_links,
        vec!["https://case.example.org/uri/elsewhere".to_owned()]
    );
    assert_eq!(summary.relations, 1, "the link to ESCO is kept");
    // A hierarchy relation to an unknown item still fails, as does an own framework's link.
    case.relations.push(ImportedRelation {
        from: "kasse-01".into(),
        kind: RelationKind::Broader,
        to: "https://case.example.org/uri/parent".into(),
    });
    assert!(matches!(
        store
            .import_framework(Some(scope), &case, &no_progress)
            .await,
        Err(StoreError::InvalidReference(_))
    ));
}

//! The contract of [`crate::CatalogueStore`]: opportunities with all their parts, providers and
//! packages, references that stay inside a company, acyclic prerequisites, offers across
//! companies, the catalogue revision and the bulk path.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::catalogue::*;
use crate::competencies::CompetencySearch;
use crate::contract_competencies::{esco_like, no_progress, person};
use crate::*;
use chrono::Utc;
use mycel_catalogue::classroom::{EnrolmentStatus, RoomDraft, SessionDraft};
use mycel_catalogue::*;
use mycel_competency::scale::{Level, LocalizedText};
use mycel_organisation::*;

pub(crate) async fn company(store: &dyn Store, slug: &str) -> TenantScope {
    let t = store
        .create_tenant(NewTenant {
            slug: slug.into(),
            name: format!("{slug} eG"),
        })
        .await
        .unwrap();
    TenantScope::system(t.id)
}

async fn esco_skills(store: &dyn Store, scope: TenantScope) -> Vec<CompetencyId> {
    store
        .import_framework(None, &esco_like("v1", true), &no_progress)
        .await
        .unwrap();
    let mut found = store
        .search_competencies(
            scope,
            &CompetencySearch {
                text: Some("s".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    found.sort_by_key(|c| c.uri.clone());
    found.into_iter().map(|c| c.id).collect()
}

fn course(title: &str) -> OpportunityDraft {
    OpportunityDraft::new(
        Modality::Classroom,
        LocalizedText::new(format!("{title} (de)"), title),
        "de",
    )
}

fn level(v: f64) -> Level {
    Level::new(v).unwrap()
}

pub(crate) fn package(id: PackageId) -> PackageRecord {
    PackageRecord {
        id,
        tenant_id: TenantId::generate(),
        kind: "cmi5".into(),
        title: "Kassenschulung".into(),
        sha256: "ab".repeat(32),
        file_count: 12,
        total_bytes: 1_234_567,
        structure: r#"{"course":"x"}"#.into(),
        launch_path: "index.html".into(),
        uploaded_by: None,
        uploaded_at: chrono::SubsecRound::trunc_subsecs(Utc::now(), 6),
    }
}

pub async fn opportunities_keep_everything_an_editor_writes(store: &dyn Store) {
    let scope = company(store, "nord").await;
    let skills = esco_skills(store, scope).await;
    assert!(skills.len() >= 2);
    let provider = store
        .create_provider(
            scope,
            &ProviderDraft {
                name: " IHK Akademie ".into(),
                website: Some("https://ihk.example".into()),
                contact_email: None,
                terms: "Storno bis 14 Tage vorher".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(provider.draft.name, "IHK Akademie", "names are trimmed");
    let basics = store
        .create_opportunity(scope, &course("Basics"), Lifecycle::Published)
        .await
        .unwrap();
    let before = store.catalogue_revision().await.unwrap();
    let unit = OrgUnitId::generate();
    let role = RoleId::generate();
    let draft = OpportunityDraft {
        modality: Modality::Classroom,
        title: LocalizedText::new("Kasse für Einsteiger", "Checkout for beginners"),
        description: LocalizedText::new("Bedienen der Kasse", "Operating the till"),
        content_language: "de".into(),
        duration_minutes: Some(240),
        provider_id: Some(provider.id),
        cost: Some(Cost {
            cents: 19_900,
            currency: "EUR".into(),
        }),
        audience: vec![
            AudienceEntry::OrgUnit(unit),
            AudienceEntry::Role(role),
            AudienceEntry::Network,
        ],
        alignments: vec![
            Alignment {
                competency_id: skills[0],
                level: level(2.0),
            },
            Alignment {
                competency_id: skills[1],
                level: level(1.5),
            },
        ],
        prerequisites: vec![
            Prerequisite::Opportunity {
                opportunity_id: basics.id,
            },
            Prerequisite::Competency {
                competency_id: skills[1],
                level: level(1.0),
            },
        ],
        recertify_after_months: Some(12),
        link: Some("https://meet.example/kasse".into()),
        package_id: None,
        parts: vec![],
        elective_groups: vec![],
    };
    let created = store
        .create_opportunity(scope, &draft, Lifecycle::Draft)
        .await
        .unwrap();
    assert_eq!(created.tenant_id, scope.tenant_id());
    assert_eq!(created.lifecycle, Lifecycle::Draft);
    let mut expected = draft.clone();
    expected.alignments.sort_by_key(|a| a.competency_id);
    let mut got = created.draft.clone();
    got.alignments.sort_by_key(|a| a.competency_id);
    assert_eq!(got, expected);
    assert!(created.revision > before);
    assert_eq!(
        store.catalogue_revision().await.unwrap(),
        created.revision,
        "every change raises the catalogue revision"
    );
    assert_eq!(store.opportunity(scope, created.id).await.unwrap(), created);

    // An update replaces everything written, keeps creation and lifecycle.
    let mut changed = draft.clone();
    changed.title.en = "Checkout, the basics".into();
    changed.audience = vec![];
    changed.alignments.truncate(1);
    changed.prerequisites = vec![];
    changed.cost = None;
    let updated = store
        .update_opportunity(scope, created.id, &changed)
        .await
        .unwrap();
    assert_eq!(updated.draft, changed);
    assert_eq!(updated.created_at, created.created_at);
    assert_eq!(updated.lifecycle, Lifecycle::Draft);
    assert!(updated.revision > created.revision);

    let published = store
        .set_lifecycle(scope, created.id, Lifecycle::Published)
        .await
        .unwrap();
    assert_eq!(published.lifecycle, Lifecycle::Published);
    assert_eq!(published.draft, changed);

    // Listing: by id, filtered by lifecycle, paged.
    let all = store
        .list_opportunities(
            scope,
            OpportunityListQuery {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![basics.id, created.id]
    );
    let page2 = store
        .list_opportunities(
            scope,
            OpportunityListQuery {
                after: Some(basics.id),
                limit: 10,
                lifecycle: Some(Lifecycle::Published),
            },
        )
        .await
        .unwrap();
    assert_eq!(page2.len(), 1);
    assert_eq!(page2[0].id, created.id);
    let missing = store
        .update_opportunity(scope, OpportunityId::generate(), &changed)
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))));
}

pub async fn catalogue_references_stay_inside_a_company(store: &dyn Store) {
    let nord = company(store, "nord").await;
    let sued = company(store, "sued").await;
    let skills = esco_skills(store, nord).await;
    let sued_provider = store
        .create_provider(
            sued,
            &ProviderDraft {
                name: "Süd Akademie".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let sued_package = PackageId::generate();
    store
        .create_package(sued, &package(sued_package))
        .await
        .unwrap();
    let sued_course = store
        .create_opportunity(sued, &course("Süd"), Lifecycle::Published)
        .await
        .unwrap();
    let revision = store.catalogue_revision().await.unwrap();

    let mut with_provider = course("x");
    with_provider.provider_id = Some(sued_provider.id);
    let mut with_package =
        OpportunityDraft::new(Modality::ELearning, LocalizedText::new("", "pkg"), "en");
    with_package.package_id = Some(sued_package);
    let mut with_prerequisite = course("y");
    with_prerequisite.prerequisites = vec![Prerequisite::Opportunity {
        opportunity_id: sued_course.id,
    }];
    let mut with_unknown_competency = course("z");
    with_unknown_competency.alignments = vec![Alignment {
        competency_id: CompetencyId::generate(),
        level: level(1.0),
    }];
    for draft in [
        with_provider,
        with_package,
        with_prerequisite,
        with_unknown_competency,
    ] {
        let result = store
            .create_opportunity(nord, &draft, Lifecycle::Draft)
            .await;
        assert!(
            matches!(result, Err(StoreError::InvalidReference(_))),
            "{result:?}"
        );
    }
    assert_eq!(
        store
            .list_opportunities(
                nord,
                OpportunityListQuery {
                    limit: 10,
                    ..Default::default()
                }
            )
            .await
            .unwrap(),
        vec![],
        "a refused opportunity leaves nothing behind"
    );
    assert_eq!(
        store.catalogue_revision().await.unwrap(),
        revision,
        "nor a revision"
    );
    // Network competencies are fine.
    let mut aligned = course("ok");
    aligned.alignments = vec![Alignment {
        competency_id: skills[0],
        level: level(3.0),
    }];
    store
        .create_opportunity(nord, &aligned, Lifecycle::Draft)
        .await
        .unwrap();
    assert!(matches!(
        store.package(nord, sued_package).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store
            .update_provider(nord, sued_provider.id, &ProviderDraft::default())
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store
            .set_lifecycle(nord, sued_course.id, Lifecycle::Retired)
            .await,
        Err(StoreError::NotFound(_))
    ));
}

pub async fn prerequisite_cycles_are_refused(store: &dyn Store) {
    let scope = company(store, "nord").await;
    let a = store
        .create_opportunity(scope, &course("A"), Lifecycle::Draft)
        .await
        .unwrap();
    let mut b_draft = course("B");
    b_draft.prerequisites = vec![Prerequisite::Opportunity {
        opportunity_id: a.id,
    }];
    let b = store
        .create_opportunity(scope, &b_draft, Lifecycle::Draft)
        .await
        .unwrap();
    let mut program = OpportunityDraft::new(
        Modality::Blended,
        LocalizedText::new("Programm", "Program"),
        "de",
    );
    program.parts = vec![ProgramPart::required(a.id), ProgramPart::required(b.id)];
    let program = store
        .create_opportunity(scope, &program, Lifecycle::Draft)
        .await
        .unwrap();
    assert_eq!(
        program.draft.part_ids(),
        vec![a.id, b.id],
        "parts keep their order"
    );

    // A requiring B closes A → B → A.
    let mut a_changed = a.draft.clone();
    a_changed.prerequisites = vec![Prerequisite::Opportunity {
        opportunity_id: b.id,
    }];
    let refused = store.update_opportunity(scope, a.id, &a_changed).await;
    match refused {
        Err(StoreError::InvalidReference(message)) => {
            assert!(message.contains("cycle"), "{message}");
            assert!(message.contains(&a.id.to_string()), "{message}");
        }
        other => panic!("expected a cycle to be refused, got {other:?}"),
    }
    assert_eq!(
        store.opportunity(scope, a.id).await.unwrap(),
        a,
        "unchanged"
    );
    // A part requiring its program closes a cycle too.
    let mut a_needs_program = a.draft.clone();
    a_needs_program.prerequisites = vec![Prerequisite::Opportunity {
        opportunity_id: program.id,
    }];
    assert!(matches!(
        store
            .update_opportunity(scope, a.id, &a_needs_program)
            .await,
        Err(StoreError::InvalidReference(_))
    ));
}

pub async fn offers_reach_other_companies_only_as_published(store: &dyn Store) {
    let nord = company(store, "nord").await;
    let sued = company(store, "sued").await;
    let west = company(store, "west").await;
    let provider = store
        .create_provider(
            nord,
            &ProviderDraft {
                name: "Nord Akademie".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut for_network = course("network");
    for_network.audience = vec![AudienceEntry::Network];
    for_network.provider_id = Some(provider.id);
    let for_network = store
        .create_opportunity(nord, &for_network, Lifecycle::Draft)
        .await
        .unwrap();
    let mut for_sued = course("sued only");
    for_sued.audience = vec![AudienceEntry::Company(sued.tenant_id())];
    let for_sued = store
        .create_opportunity(nord, &for_sued, Lifecycle::Published)
        .await
        .unwrap();
    let own = store
        .create_opportunity(nord, &course("own"), Lifecycle::Published)
        .await
        .unwrap();

    // A draft is its company's only.
    assert!(matches!(
        store.opportunity(sued, for_network.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.provider(sued, nord.tenant_id(), provider.id).await,
        Err(StoreError::NotFound(_))
    ));
    store
        .set_lifecycle(nord, for_network.id, Lifecycle::Published)
        .await
        .unwrap();
    for other in [sued, west] {
        assert_eq!(
            store.opportunity(other, for_network.id).await.unwrap().id,
            for_network.id
        );
        assert_eq!(
            store
                .provider(other, nord.tenant_id(), provider.id)
                .await
                .unwrap()
                .draft
                .name,
            "Nord Akademie",
            "the provider of a visible offer is readable"
        );
        assert!(matches!(
            store.opportunity(other, own.id).await,
            Err(StoreError::NotFound(_))
        ));
    }
    assert!(store.opportunity(sued, for_sued.id).await.is_ok());
    assert!(matches!(
        store.opportunity(west, for_sued.id).await,
        Err(StoreError::NotFound(_))
    ));
    let seen_by_sued = store
        .opportunities_by_id(sued, &[for_network.id, for_sued.id, own.id])
        .await
        .unwrap();
    let mut ids: Vec<_> = seen_by_sued.iter().map(|o| o.id).collect();
    ids.sort();
    let mut expected = vec![for_network.id, for_sued.id];
    expected.sort();
    assert_eq!(ids, expected);
    // Only the owner lists and edits.
    assert_eq!(
        store
            .list_opportunities(
                sued,
                OpportunityListQuery {
                    limit: 10,
                    ..Default::default()
                }
            )
            .await
            .unwrap(),
        vec![]
    );

    // The index's view: every company's, all lifecycles, paged by (tenant, id).
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store.catalogue_page(after, 2).await.unwrap();
        if page.is_empty() {
            break;
        }
        after = page.last().map(|o| (o.tenant_id, o.id));
        seen.extend(page.into_iter().map(|o| o.id));
    }
    seen.sort();
    let mut all = vec![for_network.id, for_sued.id, own.id];
    all.sort();
    assert_eq!(seen, all);
}

pub async fn packages_and_providers_are_kept_per_company(store: &dyn Store) {
    let scope = company(store, "nord").await;
    let first = PackageId::generate();
    let second = PackageId::generate();
    let mut record = package(first);
    record.tenant_id = scope.tenant_id();
    store.create_package(scope, &record).await.unwrap();
    let mut later = package(second);
    later.tenant_id = scope.tenant_id();
    later.kind = "scorm-1.2".into();
    store.create_package(scope, &later).await.unwrap();
    assert_eq!(store.package(scope, first).await.unwrap(), record);
    let listed = store.packages(scope, 10).await.unwrap();
    assert_eq!(
        listed.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![second, first],
        "newest first"
    );
    let mut elearning =
        OpportunityDraft::new(Modality::ELearning, LocalizedText::new("Kasse", ""), "de");
    elearning.package_id = Some(first);
    let o = store
        .create_opportunity(scope, &elearning, Lifecycle::Published)
        .await
        .unwrap();
    assert_eq!(o.draft.package_id, Some(first));

    let draft = ProviderDraft {
        name: "B".into(),
        website: None,
        contact_email: Some("info@b.example".into()),
        terms: String::new(),
    };
    let b = store.create_provider(scope, &draft).await.unwrap();
    let a = store
        .create_provider(
            scope,
            &ProviderDraft {
                name: "A".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .providers(scope)
            .await
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        vec![a.id, b.id],
        "by name"
    );
    let renamed = store
        .update_provider(
            scope,
            b.id,
            &ProviderDraft {
                name: "C".into(),
                contact_email: None,
                ..draft
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.draft.name, "C");
    assert_eq!(renamed.draft.contact_email, None);
}

pub async fn opportunities_are_imported_in_bulk(store: &dyn Store) {
    let scope = company(store, "nord").await;
    let skills = esco_skills(store, scope).await;
    let drafts: Vec<(OpportunityDraft, Lifecycle)> = (0..450)
        .map(|i| {
            let mut d = course(&format!("Kurs {i}"));
            d.alignments = vec![Alignment {
                competency_id: skills[i % skills.len()],
                level: level(2.0),
            }];
            d.audience = vec![AudienceEntry::Network];
            d.prerequisites = vec![Prerequisite::Competency {
                competency_id: skills[(i + 1) % skills.len()],
                level: level(1.0),
            }];
            (d, Lifecycle::Published)
        })
        .collect();
    let ids = store.import_opportunities(scope, &drafts).await.unwrap();
    assert_eq!(ids.len(), 450);
    let read = store.opportunity(scope, ids[449]).await.unwrap();
    assert_eq!(read.draft, drafts[449].0);
    assert_eq!(read.lifecycle, Lifecycle::Published);

    let mut with_part = course("program");
    with_part.modality = Modality::Blended;
    with_part.parts = vec![ProgramPart::required(ids[0])];
    assert!(matches!(
        store
            .import_opportunities(scope, &[(with_part, Lifecycle::Draft)])
            .await,
        Err(StoreError::InvalidValue(_))
    ));
}

fn session_at(day: u32, hours: (u32, u32), capacity: u32) -> SessionDraft {
    use chrono::TimeZone;
    SessionDraft {
        starts_at: Utc.with_ymd_and_hms(2030, 3, day, hours.0, 0, 0).unwrap(),
        ends_at: Utc.with_ymd_and_hms(2030, 3, day, hours.1, 0, 0).unwrap(),
        location: "Zentrale".into(),
        room_id: None,
        trainer_id: None,
        online_link: None,
        capacity,
        requires_approval: false,
        cancellation_deadline: None,
    }
}

pub async fn classroom_places_waitlist_and_attendance(store: &dyn Store) {
    let scope = company(store, "nord").await;
    let other = company(store, "sued").await;
    let course = store
        .create_opportunity(scope, &course("Kasse"), Lifecycle::Published)
        .await
        .unwrap();
    let trainer = person(store, scope, "Tina Trainer", None).await;
    let [anna, ben, cem, dora] = [
        person(store, scope, "Anna", None).await,
        person(store, scope, "Ben", None).await,
        person(store, scope, "Cem", None).await,
        person(store, scope, "Dora", None).await,
    ];
    let room = store
        .create_room(
            scope,
            &RoomDraft {
                name: " Raum 3.12 ".into(),
                location: "Zentrale".into(),
                capacity: 2,
            },
        )
        .await
        .unwrap();
    assert_eq!(room.draft.name, "Raum 3.12");
    assert_eq!(store.rooms(scope).await.unwrap(), vec![room.clone()]);
    assert_eq!(store.rooms(other).await.unwrap(), vec![]);

    // The room holds 2: a session for 3 in it is refused.
    let mut draft = session_at(2, (9, 12), 3);
    draft.room_id = Some(room.id);
    draft.trainer_id = Some(trainer.id);
    assert!(matches!(
        store
            .create_training_session(scope, course.id, &draft)
            .await,
        Err(StoreError::InvalidValue(_))
    ));
    draft.capacity = 2;
    let session = store
        .create_training_session(scope, course.id, &draft)
        .await
        .unwrap();
    assert_eq!((session.taken, session.waiting), (0, 0));
    // Trainer and room cannot be in two places; touching times are fine.
    let mut clash = session_at(2, (11, 13), 2);
    clash.trainer_id = Some(trainer.id);
    match store
        .create_training_session(scope, course.id, &clash)
        .await
    {
        Err(StoreError::Conflict(message)) => assert!(message.contains("trainer"), "{message}"),
        other => panic!("expected the trainer's clash, got {other:?}"),
    }
    let mut room_clash = session_at(2, (8, 10), 2);
    room_clash.room_id = Some(room.id);
    match store
        .create_training_session(scope, course.id, &room_clash)
        .await
    {
        Err(StoreError::Conflict(message)) => assert!(message.contains("room"), "{message}"),
        other => panic!("expected the room's clash, got {other:?}"),
    }
    let mut afterwards = session_at(2, (12, 15), 2);
    afterwards.trainer_id = Some(trainer.id);
    afterwards.room_id = Some(room.id);
    let later = store
        .create_training_session(scope, course.id, &afterwards)
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_training_session(other, course.id, &session_at(5, (9, 10), 5))
            .await,
        Err(StoreError::InvalidReference(_))
    ));

    // Two places, then the waitlist; nobody twice.
    let a = store
        .enrol(scope, session.id, anna.id, None, false)
        .await
        .unwrap();
    let b = store
        .enrol(scope, session.id, ben.id, Some(trainer.id), false)
        .await
        .unwrap();
    let c = store
        .enrol(scope, session.id, cem.id, None, false)
        .await
        .unwrap();
    let d = store
        .enrol(scope, session.id, dora.id, None, false)
        .await
        .unwrap();
    assert_eq!(
        [a.status, b.status, c.status, d.status],
        [
            EnrolmentStatus::Confirmed,
            EnrolmentStatus::Confirmed,
            EnrolmentStatus::Waitlisted,
            EnrolmentStatus::Waitlisted
        ]
    );
    assert_eq!(b.enrolled_by, Some(trainer.id));
    assert!(matches!(
        store.enrol(scope, session.id, anna.id, None, false).await,
        Err(StoreError::Conflict(_))
    ));
    let counted = store.training_session(scope, session.id).await.unwrap();
    assert_eq!((counted.taken, counted.waiting), (2, 2));

    // A freed place goes to the first who waits.
    let (cancelled, promotions) = store.cancel_enrolment(scope, a.id).await.unwrap();
    assert_eq!(cancelled.status, EnrolmentStatus::Cancelled);
    assert_eq!(promotions.promoted.len(), 1);
    assert_eq!(promotions.promoted[0].person_id, cem.id);
    assert_eq!(promotions.promoted[0].status, EnrolmentStatus::Confirmed);
    assert!(matches!(
        store.cancel_enrolment(scope, a.id).await,
        Err(StoreError::Conflict(_))
    ));
    // Anna may enrol again (her old enrolment is cancelled): she waits now.
    let again = store
        .enrol(scope, session.id, anna.id, None, false)
        .await
        .unwrap();
    assert_eq!(again.status, EnrolmentStatus::Waitlisted);
    assert_eq!(
        store
            .session_enrolments(scope, session.id)
            .await
            .unwrap()
            .iter()
            .map(|e| e.person_id)
            .collect::<Vec<_>>(),
        vec![anna.id, ben.id, cem.id, dora.id, anna.id],
        "in the order they enrolled"
    );

    // Attendance: places become attended or no-show; someone without a place is refused.
    let marked = store
        .record_attendance(scope, session.id, &[(ben.id, true), (cem.id, false)])
        .await
        .unwrap();
    assert_eq!(
        marked.iter().map(|e| e.status).collect::<Vec<_>>(),
        vec![EnrolmentStatus::Attended, EnrolmentStatus::NoShow]
    );
    assert!(matches!(
        store
            .record_attendance(scope, session.id, &[(dora.id, true)])
            .await,
        Err(StoreError::InvalidReference(_))
    ));
    assert_eq!(
        store.person_enrolments(scope, anna.id).await.unwrap().len(),
        2
    );

    // Approval first, when the session asks for it.
    let mut approval = session_at(9, (9, 17), 1);
    approval.requires_approval = true;
    let approval = store
        .create_training_session(scope, course.id, &approval)
        .await
        .unwrap();
    let requested = store
        .enrol(scope, approval.id, anna.id, None, false)
        .await
        .unwrap();
    assert_eq!(requested.status, EnrolmentStatus::Requested);
    let refused = store
        .enrol(scope, approval.id, ben.id, None, false)
        .await
        .unwrap();
    let approved = store
        .decide_enrolment(scope, requested.id, true)
        .await
        .unwrap();
    assert_eq!(approved.status, EnrolmentStatus::Confirmed);
    assert_eq!(
        store
            .decide_enrolment(scope, refused.id, false)
            .await
            .unwrap()
            .status,
        EnrolmentStatus::Cancelled
    );
    assert!(matches!(
        store.decide_enrolment(scope, approved.id, true).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(store
        .requests_for_manager(scope, trainer.id)
        .await
        .unwrap()
        .is_empty());
    let report = store
        .create_person(
            scope,
            NewPerson {
                display_name: "Emil".into(),
                manager_id: Some(trainer.id),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let waiting_for_the_manager = store
        .enrol(scope, approval.id, report.id, None, false)
        .await
        .unwrap();
    assert_eq!(
        store.requests_for_manager(scope, trainer.id).await.unwrap(),
        vec![waiting_for_the_manager]
    );
    let direct = store
        .enrol(scope, approval.id, cem.id, Some(trainer.id), true)
        .await
        .unwrap();
    assert_eq!(
        direct.status,
        EnrolmentStatus::Waitlisted,
        "approved, but full"
    );

    // The trainer's sessions: those not cancelled and not over.
    let taught = store
        .trainer_sessions(scope, trainer.id, Utc::now())
        .await
        .unwrap();
    assert_eq!(
        taught.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![session.id, later.id]
    );

    // Cancelling a session cancels its open enrolments and drops it from the upcoming dates.
    let starts = store
        .upcoming_session_starts(scope, &[course.id], Utc::now())
        .await
        .unwrap();
    assert_eq!(starts.len(), 3);
    let open = store
        .cancel_training_session(scope, later.id)
        .await
        .unwrap();
    assert!(open.is_empty());
    let open = store
        .cancel_training_session(scope, approval.id)
        .await
        .unwrap();
    assert_eq!(open.len(), 3);
    assert!(store
        .session_enrolments(scope, approval.id)
        .await
        .unwrap()
        .iter()
        .all(|e| !e.status.is_open()));
    assert!(matches!(
        store.enrol(scope, approval.id, dora.id, None, false).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store
            .upcoming_session_starts(scope, &[course.id], Utc::now())
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(store.sessions_of(scope, course.id).await.unwrap().len(), 3);
    assert!(matches!(
        store.training_session(other, session.id).await,
        Err(StoreError::NotFound(_))
    ));
}

pub async fn assignments_and_completions(store: &dyn Store) {
    let scope = company(store, "nord").await;
    let other = company(store, "sued").await;
    let fire = store
        .create_opportunity(scope, &course("Brandschutz"), Lifecycle::Published)
        .await
        .unwrap();
    let later = store
        .create_opportunity(scope, &course("Erste Hilfe"), Lifecycle::Published)
        .await
        .unwrap();
    let boss = person(store, scope, "Boss", None).await;
    let anna = person(store, scope, "Anna", None).await;
    let ben = person(store, scope, "Ben", None).await;
    let due = chrono::NaiveDate::from_ymd_opt(2030, 6, 30).unwrap();
    assert_eq!(
        store
            .assign(scope, fire.id, &[anna.id, ben.id], Some(due), Some(boss.id))
            .await
            .unwrap(),
        2
    );
    // Assigning again keeps the first assignment.
    assert_eq!(
        store
            .assign(scope, fire.id, &[anna.id], None, None)
            .await
            .unwrap(),
        0
    );
    store
        .assign(scope, later.id, &[anna.id], None, None)
        .await
        .unwrap();
    let assigned = store.person_assignments(scope, anna.id).await.unwrap();
    assert_eq!(
        assigned
            .iter()
            .map(|a| a.opportunity_id)
            .collect::<Vec<_>>(),
        vec![fire.id, later.id],
        "by due date, none last"
    );
    assert_eq!(assigned[0].due, Some(due));
    assert_eq!(assigned[0].assigned_by, Some(boss.id));
    // Another company's people and opportunities are not assignable.
    let stranger = person(store, other, "Sam", None).await;
    assert!(matches!(
        store
            .assign(scope, fire.id, &[stranger.id], None, None)
            .await,
        Err(StoreError::InvalidReference(_))
    ));
    assert!(matches!(
        store
            .assign(other, fire.id, &[stranger.id], None, None)
            .await,
        Err(StoreError::InvalidReference(_))
    ));

    let done = chrono::SubsecRound::trunc_subsecs(Utc::now(), 6);
    let completion = CompletionRecord {
        person_id: anna.id,
        opportunity_id: fire.id,
        completed_at: done,
        statement_id: "s-1".into(),
    };
    assert_eq!(
        store
            .record_completions(scope, &[completion.clone(), completion.clone()])
            .await
            .unwrap(),
        1,
        "a statement counts once"
    );
    assert_eq!(
        store
            .record_completions(scope, std::slice::from_ref(&completion))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store.person_completions(scope, anna.id).await.unwrap(),
        vec![completion]
    );
    assert!(store
        .person_completions(scope, ben.id)
        .await
        .unwrap()
        .is_empty());

    let role = store
        .create_role(
            scope,
            NewRole {
                name: "Kasse".into(),
                description: None,
            },
        )
        .await
        .unwrap();
    store
        .assign_role(scope, ben.id, role.id, RoleAssignmentKind::Current)
        .await
        .unwrap();
    store
        .assign_role(scope, anna.id, role.id, RoleAssignmentKind::Aspired)
        .await
        .unwrap();
    assert_eq!(
        store.people_in_role(scope, role.id).await.unwrap(),
        vec![ben.id],
        "current holders only"
    );
}

/// A program's parts keep their order and kinds, its elective groups their labels and counts;
/// a change replaces them; the programs a part belongs to are found by the part.
pub async fn program_parts_keep_their_kinds_and_groups(store: &dyn Store) {
    let scope = company(store, "nord").await;
    let other = company(store, "sued").await;
    let mut ids = Vec::new();
    for title in [
        "Einführung",
        "Gespräche",
        "Konflikte",
        "Präsentieren",
        "Vertiefung",
    ] {
        ids.push(
            store
                .create_opportunity(scope, &course(title), Lifecycle::Published)
                .await
                .unwrap()
                .id,
        );
    }
    let mut draft = OpportunityDraft::new(
        Modality::Blended,
        LocalizedText::new("Führung", "Leadership"),
        "de",
    );
    draft.parts = vec![
        ProgramPart::required(ids[0]),
        ProgramPart {
            opportunity_id: ids[1],
            kind: PartKind::Elective { group: 0 },
        },
        ProgramPart {
            opportunity_id: ids[2],
            kind: PartKind::Elective { group: 0 },
        },
        ProgramPart {
            opportunity_id: ids[3],
            kind: PartKind::Elective { group: 0 },
        },
        ProgramPart {
            opportunity_id: ids[4],
            kind: PartKind::Optional,
        },
    ];
    draft.elective_groups = vec![ElectiveGroup {
        label: LocalizedText::new("Kommunikation", "Communication"),
        choose: 2,
    }];
    let program = store
        .create_opportunity(scope, &draft, Lifecycle::Draft)
        .await
        .unwrap();
    assert_eq!(program.draft, draft, "parts, kinds and groups round-trip");
    let read = store.opportunity(scope, program.id).await.unwrap();
    assert_eq!(read.draft.parts, draft.parts);
    assert_eq!(read.draft.elective_groups, draft.elective_groups);
    let listed = store
        .opportunities_by_id(scope, &[program.id])
        .await
        .unwrap();
    assert_eq!(listed[0].draft.elective_groups, draft.elective_groups);

    // A change replaces parts and groups.
    let mut changed = draft.clone();
    changed.parts.truncate(3);
    changed.parts[0].kind = PartKind::Optional;
    changed.elective_groups[0].choose = 1;
    let updated = store
        .update_opportunity(scope, program.id, &changed)
        .await
        .unwrap();
    assert_eq!(updated.draft.parts, changed.parts);
    assert_eq!(updated.draft.elective_groups, changed.elective_groups);

    // Which programs a part belongs to: the company's own only.
    assert_eq!(
        store
            .programs_containing(scope, &[ids[1], ids[4]])
            .await
            .unwrap(),
        vec![program.id]
    );
    assert!(store
        .programs_containing(scope, &[ids[4]])
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .programs_containing(other, &[ids[1]])
        .await
        .unwrap()
        .is_empty());
}

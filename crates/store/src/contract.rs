//! The backend-neutral contract test suite. Every backend runs every function here, through
//! [`crate::store_contract_tests!`], on a fresh database of its own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub use crate::contract_catalogue::*;
pub use crate::contract_cmi5::*;
pub use crate::contract_competencies::*;
pub use crate::contract_journal::*;
pub use crate::contract_lrs::*;
pub use crate::contract_recommendations::*;
pub use crate::contract_scorm::*;
pub use crate::contract_strategic_goals::*;
use crate::*;
use chrono::{Duration, SubsecRound, Utc};
use mycel_organisation::{AccessRole, Scope};

/// Expands to one `#[tokio::test]` per contract test. `$fresh` is an async fn returning
/// `(Arc<dyn Store>, G)`: a store on a database of its own and a guard; `$cleanup` takes the guard
/// back when the test passed.
#[macro_export]
macro_rules! store_contract_tests {
    ($fresh:path, $cleanup:path; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let (store, guard) = $fresh().await;
                $crate::contract::$name(&*store).await;
                store.close().await;
                $cleanup(guard).await;
            }
        )*
    };
    ($fresh:path, $cleanup:path) => {
        $crate::store_contract_tests!($fresh, $cleanup;
            tenants_are_created_and_found,
            tenant_slugs_are_unique,
            org_units_form_a_tree,
            org_unit_parent_must_be_in_the_same_tenant,
            people_are_created_listed_and_paged,
            people_listing_follows_the_org_unit_subtree,
            emails_are_unique_per_tenant_only,
            manager_must_be_in_the_same_tenant,
            login_candidate_carries_the_password_hash,
            locale_and_password_can_be_changed,
            people_are_updated_within_their_tenant,
            access_grants_are_idempotent,
            roles_and_assignments,
            api_credentials_are_created_listed_and_revoked,
            sessions_expire_and_are_deleted,
            audit_log_is_append_only_and_newest_first,
            nothing_crosses_tenants,
            people_and_role_assignments_are_imported_in_bulk,
            statements_are_stored_in_order_and_fed_out,
            a_batch_is_stored_whole_or_not_at_all,
            statement_queries_filter_and_page,
            voided_statements_are_hidden_but_their_references_are_not,
            statements_read_mine_sees_only_its_own,
            attachments_and_activity_definitions,
            documents_are_written_under_conditions,
            the_record_store_keeps_tenants_apart,
            frameworks_import_and_reimport_keep_ids_and_evidence,
            an_import_with_unknown_references_imports_nothing,
            own_frameworks_are_seen_only_by_their_tenant,
            role_profiles_are_replaced_whole,
            evidence_and_estimates_are_kept_per_person,
            goals_sharing_and_group_pages,
            activity_alignments_and_feed_cursors,
            case_links_to_unknown_items_are_reported_not_fatal,
            opportunities_keep_everything_an_editor_writes,
            catalogue_references_stay_inside_a_company,
            prerequisite_cycles_are_refused,
            offers_reach_other_companies_only_as_published,
            packages_and_providers_are_kept_per_company,
            opportunities_are_imported_in_bulk,
            classroom_places_waitlist_and_attendance,
            assignments_and_completions,
            cmi5_registrations_and_sessions,
            journal_entries_are_private_shared_confirmed_and_deleted_with_their_evidence,
            scorm_attempts_are_kept_per_person_with_their_sco_data,
            strategic_goals_apply_to_a_units_subtree_and_stay_in_their_company,
            the_path_objective_is_kept_per_company,
            recommendation_feedback_is_kept_per_person_and_changeable,
            ratings_keep_the_newest_per_person_and_count_peers,
            the_newest_opportunities_are_those_the_company_may_see,
            program_parts_keep_their_kinds_and_groups,
        );
    };
}

pub(crate) async fn tenant(store: &dyn Store, slug: &str) -> TenantScope {
    let t = store
        .create_tenant(NewTenant {
            slug: slug.into(),
            name: format!("{slug} eG"),
        })
        .await
        .unwrap();
    TenantScope::system(t.id)
}

async fn unit(
    store: &dyn Store,
    scope: TenantScope,
    parent: Option<OrgUnitId>,
    name: &str,
) -> OrgUnit {
    store
        .create_org_unit(
            scope,
            NewOrgUnit {
                parent_id: parent,
                name: name.into(),
            },
        )
        .await
        .unwrap()
}

async fn person(
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
                email: Some(format!(
                    "{}@example.de",
                    name.to_lowercase().replace(' ', ".")
                )),
                org_unit_id: unit,
                ..NewPerson::default()
            },
        )
        .await
        .unwrap()
}

pub async fn tenants_are_created_and_found(store: &dyn Store) {
    store.ping().await.unwrap();
    let created = store
        .create_tenant(NewTenant {
            slug: "nord".into(),
            name: "Handel Nord eG".into(),
        })
        .await
        .unwrap();
    assert_eq!(created.slug, "nord");
    assert_eq!(created.name, "Handel Nord eG");
    assert_eq!(created.min_group_size, 5);
    assert_eq!(store.tenant(created.id).await.unwrap(), created);
    assert_eq!(store.tenant_by_slug("nord").await.unwrap(), created);
    assert!(matches!(
        store.tenant_by_slug("sued").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.tenant(TenantId::generate()).await,
        Err(StoreError::NotFound(_))
    ));
    tenant(store, "alpha").await;
    let slugs: Vec<_> = store
        .list_tenants()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.slug)
        .collect();
    assert_eq!(slugs, ["alpha", "nord"], "listed by slug");
}

pub async fn tenant_slugs_are_unique(store: &dyn Store) {
    tenant(store, "nord").await;
    let again = store
        .create_tenant(NewTenant {
            slug: "nord".into(),
            name: "Other".into(),
        })
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(store.list_tenants().await.unwrap().len(), 1);
}

pub async fn org_units_form_a_tree(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let root = unit(store, t, None, "Handel Nord").await;
    let region = unit(store, t, Some(root.id), "Region Hamburg").await;
    let shop = unit(store, t, Some(region.id), "Markt Altona").await;
    assert_eq!(shop.parent_id, Some(region.id));
    assert_eq!(shop.tenant_id, t.tenant_id());
    assert_eq!(store.org_unit(t, shop.id).await.unwrap(), shop);
    assert_eq!(
        store.org_unit_path(t, shop.id).await.unwrap(),
        vec![root.id, region.id, shop.id]
    );
    assert_eq!(
        store.org_unit_path(t, root.id).await.unwrap(),
        vec![root.id]
    );
    assert!(matches!(
        store.org_unit_path(t, OrgUnitId::generate()).await,
        Err(StoreError::NotFound(_))
    ));
    let names: Vec<_> = store
        .list_org_units(t)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names.len(), 3);
    assert!(names.contains(&"Markt Altona".to_owned()));
}

pub async fn org_unit_parent_must_be_in_the_same_tenant(store: &dyn Store) {
    let a = tenant(store, "nord").await;
    let b = tenant(store, "sued").await;
    let foreign = unit(store, b, None, "Süd").await;
    let result = store
        .create_org_unit(
            a,
            NewOrgUnit {
                parent_id: Some(foreign.id),
                name: "Sneaky".into(),
            },
        )
        .await;
    assert!(
        matches!(result, Err(StoreError::InvalidReference(_))),
        "{result:?}"
    );
    assert!(
        store.list_org_units(a).await.unwrap().is_empty(),
        "nothing half-written"
    );
}

pub async fn people_are_created_listed_and_paged(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(person(store, t, &format!("Person {i}"), None).await.id);
    }
    ids.sort();
    let first = store
        .list_people(
            t,
            PeopleQuery {
                limit: 3,
                ..PeopleQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(first.iter().map(|p| p.id).collect::<Vec<_>>(), ids[..3]);
    let rest = store
        .list_people(
            t,
            PeopleQuery {
                after: Some(first[2].id),
                limit: 10,
                ..PeopleQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(rest.iter().map(|p| p.id).collect::<Vec<_>>(), ids[3..]);
    let one = store.person(t, ids[0]).await.unwrap();
    assert_eq!(
        one.email.as_deref(),
        Some(
            format!(
                "{}@example.de",
                one.display_name.to_lowercase().replace(' ', ".")
            )
            .as_str()
        )
    );
    assert!(matches!(
        store.person(t, PersonId::generate()).await,
        Err(StoreError::NotFound(_))
    ));
}

pub async fn people_listing_follows_the_org_unit_subtree(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let root = unit(store, t, None, "Nord").await;
    let hamburg = unit(store, t, Some(root.id), "Hamburg").await;
    let altona = unit(store, t, Some(hamburg.id), "Altona").await;
    let kiel = unit(store, t, Some(root.id), "Kiel").await;
    let anna = person(store, t, "Anna", Some(altona.id)).await;
    let ben = person(store, t, "Ben", Some(hamburg.id)).await;
    let cem = person(store, t, "Cem", Some(kiel.id)).await;
    let names = |people: Vec<Person>| {
        let mut n: Vec<_> = people.into_iter().map(|p| p.display_name).collect();
        n.sort();
        n
    };
    let in_unit = |u: OrgUnitId| PeopleQuery {
        org_unit: Some(u),
        ..PeopleQuery::default()
    };
    assert_eq!(
        names(store.list_people(t, in_unit(hamburg.id)).await.unwrap()),
        ["Anna", "Ben"]
    );
    assert_eq!(
        names(store.list_people(t, in_unit(kiel.id)).await.unwrap()),
        ["Cem"]
    );
    assert_eq!(
        names(store.list_people(t, in_unit(root.id)).await.unwrap()),
        ["Anna", "Ben", "Cem"]
    );
    assert_eq!(anna.org_unit_id, Some(altona.id));
    let _ = (ben, cem);
}

pub async fn emails_are_unique_per_tenant_only(store: &dyn Store) {
    let a = tenant(store, "nord").await;
    let b = tenant(store, "sued").await;
    person(store, a, "Anna Schmidt", None).await;
    let twin = store
        .create_person(
            a,
            NewPerson {
                display_name: "Anna S.".into(),
                email: Some("anna.schmidt@example.de".into()),
                ..NewPerson::default()
            },
        )
        .await;
    assert!(matches!(twin, Err(StoreError::Conflict(_))), "{twin:?}");
    person(store, b, "Anna Schmidt", None).await;
    // people without e-mail do not collide
    for _ in 0..2 {
        store
            .create_person(
                a,
                NewPerson {
                    display_name: "No Mail".into(),
                    ..NewPerson::default()
                },
            )
            .await
            .unwrap();
    }
}

pub async fn manager_must_be_in_the_same_tenant(store: &dyn Store) {
    let a = tenant(store, "nord").await;
    let b = tenant(store, "sued").await;
    let boss_b = person(store, b, "Boss", None).await;
    let result = store
        .create_person(
            a,
            NewPerson {
                display_name: "Worker".into(),
                manager_id: Some(boss_b.id),
                ..NewPerson::default()
            },
        )
        .await;
    assert!(
        matches!(result, Err(StoreError::InvalidReference(_))),
        "{result:?}"
    );
    let boss_a = person(store, a, "Chefin", None).await;
    let worker = store
        .create_person(
            a,
            NewPerson {
                display_name: "Worker".into(),
                manager_id: Some(boss_a.id),
                ..NewPerson::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store.person(a, worker.id).await.unwrap().manager_id,
        Some(boss_a.id)
    );
}

pub async fn login_candidate_carries_the_password_hash(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let created = store
        .create_person(
            t,
            NewPerson {
                display_name: "Anna".into(),
                email: Some("anna@example.de".into()),
                password_hash: Some("$argon2id$fake".into()),
                ..NewPerson::default()
            },
        )
        .await
        .unwrap();
    let found = store
        .login_candidate(t, "anna@example.de")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.person, created);
    assert_eq!(found.password_hash.as_deref(), Some("$argon2id$fake"));
    assert!(store
        .login_candidate(t, "ben@example.de")
        .await
        .unwrap()
        .is_none());
}

pub async fn locale_and_password_can_be_changed(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let p = person(store, t, "Anna", None).await;
    assert_eq!(p.locale, None);
    store.set_person_locale(t, p.id, Some("de")).await.unwrap();
    assert_eq!(
        store.person(t, p.id).await.unwrap().locale.as_deref(),
        Some("de")
    );
    store
        .set_password_hash(t, p.id, "$argon2id$new")
        .await
        .unwrap();
    let c = store
        .login_candidate(t, "anna@example.de")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.password_hash.as_deref(), Some("$argon2id$new"));
    assert!(matches!(
        store
            .set_person_locale(t, PersonId::generate(), Some("en"))
            .await,
        Err(StoreError::NotFound(_))
    ));
}

pub async fn people_are_updated_within_their_tenant(store: &dyn Store) {
    let a = tenant(store, "nord").await;
    let b = tenant(store, "sued").await;
    let unit_a = unit(store, a, None, "Nord").await;
    let unit_b = unit(store, b, None, "Süd").await;
    let boss = person(store, a, "Chefin", None).await;
    let anna = person(store, a, "Anna", None).await;
    let changed = store
        .update_person(
            a,
            anna.id,
            PersonUpdate {
                display_name: "Anna Schmidt".into(),
                email: None,
                org_unit_id: Some(unit_a.id),
                manager_id: Some(boss.id),
                locale: Some("de".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.display_name, "Anna Schmidt");
    assert_eq!(changed.email, None);
    assert_eq!(changed.org_unit_id, Some(unit_a.id));
    assert_eq!(changed.manager_id, Some(boss.id));
    assert_eq!(changed.created_at, anna.created_at);
    assert_eq!(store.person(a, anna.id).await.unwrap(), changed);
    // references into another tenant are refused and change nothing
    let mut foreign = PersonUpdate::from(&changed);
    foreign.org_unit_id = Some(unit_b.id);
    assert!(matches!(
        store.update_person(a, anna.id, foreign).await,
        Err(StoreError::InvalidReference(_))
    ));
    assert_eq!(store.person(a, anna.id).await.unwrap(), changed);
    // another tenant cannot update the person at all
    assert!(matches!(
        store
            .update_person(b, anna.id, PersonUpdate::from(&changed))
            .await,
        Err(StoreError::NotFound(_))
    ));
    // e-mail uniqueness holds on update too
    let mut taken = PersonUpdate::from(&changed);
    taken.email = boss.email.clone();
    assert!(matches!(
        store.update_person(a, anna.id, taken).await,
        Err(StoreError::Conflict(_))
    ));
}

pub async fn access_grants_are_idempotent(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let root = unit(store, t, None, "Nord").await;
    let p = person(store, t, "Anna", None).await;
    let lnd = AccessGrant {
        role: AccessRole::LndAdmin,
        org_unit_id: Some(root.id),
    };
    let admin = AccessGrant::tenant_wide(AccessRole::TenantAdmin);
    for _ in 0..2 {
        store.grant_access(t, p.id, lnd).await.unwrap();
        store.grant_access(t, p.id, admin).await.unwrap();
    }
    let mut grants = store.access_grants(t, p.id).await.unwrap();
    grants.sort_by_key(|g| g.role);
    assert_eq!(grants, vec![lnd, admin]);
    assert!(matches!(
        store.grant_access(t, PersonId::generate(), admin).await,
        Err(StoreError::InvalidReference(_))
    ));

    // The people holding a role, by name; another company's are not among them.
    let trainer = AccessGrant::tenant_wide(AccessRole::Trainer);
    let zoe = person(store, t, "Zoë", None).await;
    let bea = person(store, t, "Bea", None).await;
    store.grant_access(t, zoe.id, trainer).await.unwrap();
    store.grant_access(t, bea.id, trainer).await.unwrap();
    let other = tenant(store, "sued").await;
    let stranger = person(store, other, "Sam", None).await;
    store
        .grant_access(other, stranger.id, trainer)
        .await
        .unwrap();
    let trainers = store
        .people_with_access_role(t, AccessRole::Trainer, 10)
        .await
        .unwrap();
    assert_eq!(
        trainers.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![bea.id, zoe.id]
    );
    assert_eq!(
        store
            .people_with_access_role(t, AccessRole::Trainer, 1)
            .await
            .unwrap()
            .len(),
        1
    );
}

pub async fn roles_and_assignments(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let seller = store
        .create_role(
            t,
            NewRole {
                name: "Verkäufer/in".into(),
                description: Some("Shop assistant".into()),
            },
        )
        .await
        .unwrap();
    let manager = store
        .create_role(
            t,
            NewRole {
                name: "Marktleitung".into(),
                description: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(store.role(t, seller.id).await.unwrap(), seller);
    assert_eq!(store.list_roles(t).await.unwrap().len(), 2);
    let dup = store
        .create_role(
            t,
            NewRole {
                name: "Verkäufer/in".into(),
                description: None,
            },
        )
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
    let p = person(store, t, "Anna", None).await;
    store
        .assign_role(t, p.id, seller.id, RoleAssignmentKind::Current)
        .await
        .unwrap();
    store
        .assign_role(t, p.id, seller.id, RoleAssignmentKind::Current)
        .await
        .unwrap();
    store
        .assign_role(t, p.id, manager.id, RoleAssignmentKind::Aspired)
        .await
        .unwrap();
    let mut got: Vec<_> = store
        .role_assignments(t, p.id)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.role_id, a.kind))
        .collect();
    got.sort_by_key(|(_, k)| k.as_str());
    assert_eq!(
        got,
        vec![
            (manager.id, RoleAssignmentKind::Aspired),
            (seller.id, RoleAssignmentKind::Current)
        ]
    );
    assert!(matches!(
        store
            .assign_role(t, p.id, RoleId::generate(), RoleAssignmentKind::Current)
            .await,
        Err(StoreError::InvalidReference(_))
    ));
}

pub async fn api_credentials_are_created_listed_and_revoked(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let id = CredentialId::generate();
    let created = store
        .create_api_credential(
            t,
            NewApiCredential {
                id,
                label: "HR sync".into(),
                secret_hash: vec![1, 2, 3],
                scopes: vec![Scope::OrgWrite, Scope::StatementsWrite],
                created_by: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(created.id, id);
    assert_eq!(
        created.scopes,
        vec![Scope::OrgWrite, Scope::StatementsWrite]
    );
    assert_eq!(created.revoked_at, None);
    assert_eq!(store.api_credential(t, id).await.unwrap(), created);
    assert_eq!(
        store.list_api_credentials(t).await.unwrap(),
        vec![created.clone()]
    );
    let revoked = store.revoke_api_credential(t, id).await.unwrap();
    let when = revoked.revoked_at.expect("revoked");
    let again = store.revoke_api_credential(t, id).await.unwrap();
    assert_eq!(again.revoked_at, Some(when), "first revocation time kept");
    assert!(matches!(
        store
            .revoke_api_credential(t, CredentialId::generate())
            .await,
        Err(StoreError::NotFound(_))
    ));
}

pub async fn sessions_expire_and_are_deleted(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let p = person(store, t, "Anna", None).await;
    let live = NewSession {
        token_hash: vec![7; 32],
        person_id: p.id,
        expires_at: Utc::now() + Duration::hours(8),
    };
    let stale = NewSession {
        token_hash: vec![8; 32],
        person_id: p.id,
        expires_at: Utc::now() - Duration::seconds(1),
    };
    store.create_session(t, live).await.unwrap();
    store.create_session(t, stale).await.unwrap();
    let s = store.session(t, &[7; 32]).await.unwrap();
    assert_eq!(s.person_id, p.id);
    assert!(
        matches!(
            store.session(t, &[8; 32]).await,
            Err(StoreError::NotFound(_))
        ),
        "expired"
    );
    assert_eq!(store.delete_expired_sessions().await.unwrap(), 1);
    store.delete_session(t, &[7; 32]).await.unwrap();
    assert!(matches!(
        store.session(t, &[7; 32]).await,
        Err(StoreError::NotFound(_))
    ));
}

pub async fn audit_log_is_append_only_and_newest_first(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let viewer = person(store, t, "Viewer", None).await;
    let anna = person(store, t, "Anna", None).await;
    let ben = person(store, t, "Ben", None).await;
    let mut written = Vec::new();
    for subject in [anna.id, ben.id, anna.id] {
        written.push(
            store
                .append_audit(
                    t,
                    NewAuditEntry {
                        actor: Actor::Person(viewer.id),
                        subject: Some(subject),
                        action: "person.read".into(),
                        purpose: "manager view".into(),
                    },
                )
                .await
                .unwrap(),
        );
    }
    let all = store.list_audit(t, AuditQuery::default()).await.unwrap();
    assert_eq!(
        all.iter().map(|e| e.id).collect::<Vec<_>>(),
        written.iter().rev().map(|e| e.id).collect::<Vec<_>>()
    );
    assert_eq!(all[0].actor, Actor::Person(viewer.id));
    assert_eq!(all[0].purpose, "manager view");
    let about_anna = store
        .list_audit(
            t,
            AuditQuery {
                subject: Some(anna.id),
                ..AuditQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(about_anna.len(), 2);
    let older = store
        .list_audit(
            t,
            AuditQuery {
                before: Some(written[2].id),
                limit: 1,
                ..AuditQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        older.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![written[1].id]
    );
}

/// Every tenant-owned read with another tenant's scope finds nothing.
pub async fn nothing_crosses_tenants(store: &dyn Store) {
    let a = tenant(store, "nord").await;
    let b = tenant(store, "sued").await;
    let unit_a = unit(store, a, None, "Nord").await;
    let anna = person(store, a, "Anna", Some(unit_a.id)).await;
    let role = store
        .create_role(
            a,
            NewRole {
                name: "Kasse".into(),
                description: None,
            },
        )
        .await
        .unwrap();
    let cred = store
        .create_api_credential(
            a,
            NewApiCredential {
                id: CredentialId::generate(),
                label: "lrs".into(),
                secret_hash: vec![1],
                scopes: vec![Scope::All],
                created_by: None,
            },
        )
        .await
        .unwrap();
    store
        .create_session(
            a,
            NewSession {
                token_hash: vec![9; 32],
                person_id: anna.id,
                expires_at: Utc::now() + Duration::hours(1),
            },
        )
        .await
        .unwrap();
    store
        .append_audit(
            a,
            NewAuditEntry {
                actor: Actor::Credential(cred.id),
                subject: Some(anna.id),
                action: "person.read".into(),
                purpose: "hr sync".into(),
            },
        )
        .await
        .unwrap();

    assert!(matches!(
        store.org_unit(b, unit_a.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.org_unit_path(b, unit_a.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(store.list_org_units(b).await.unwrap().is_empty());
    assert!(matches!(
        store.person(b, anna.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(store
        .list_people(b, PeopleQuery::default())
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .list_people(
            b,
            PeopleQuery {
                org_unit: Some(unit_a.id),
                ..PeopleQuery::default()
            }
        )
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .login_candidate(b, "anna@example.de")
        .await
        .unwrap()
        .is_none());
    assert!(matches!(
        store.role(b, role.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(store.list_roles(b).await.unwrap().is_empty());
    assert!(matches!(
        store.api_credential(b, cred.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(store.list_api_credentials(b).await.unwrap().is_empty());
    assert!(matches!(
        store.revoke_api_credential(b, cred.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.session(b, &[9; 32]).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(store
        .list_audit(b, AuditQuery::default())
        .await
        .unwrap()
        .is_empty());
    assert!(store.access_grants(b, anna.id).await.unwrap().is_empty());
    assert!(store.role_assignments(b, anna.id).await.unwrap().is_empty());
    // writes that name another tenant's rows are refused and change nothing
    assert!(store
        .set_person_locale(b, anna.id, Some("de"))
        .await
        .is_err());
    assert!(store.set_password_hash(b, anna.id, "x").await.is_err());
    assert!(store
        .grant_access(
            b,
            anna.id,
            AccessGrant::tenant_wide(AccessRole::TenantAdmin)
        )
        .await
        .is_err());
    assert!(store
        .assign_role(b, anna.id, role.id, RoleAssignmentKind::Current)
        .await
        .is_err());
    store.delete_session(b, &[9; 32]).await.unwrap();
    assert!(
        store.session(a, &[9; 32]).await.is_ok(),
        "other tenant's delete touched nothing"
    );
    let still = store.person(a, anna.id).await.unwrap();
    assert_eq!(still.locale, None);
    assert!(store.access_grants(a, anna.id).await.unwrap().is_empty());
    assert!(store
        .api_credential(a, cred.id)
        .await
        .unwrap()
        .revoked_at
        .is_none());
}

/// Every person of a tenant, through the paged listing.
async fn all_people(
    store: &dyn Store,
    scope: TenantScope,
    org_unit: Option<OrgUnitId>,
) -> Vec<Person> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .list_people(
                scope,
                PeopleQuery {
                    org_unit,
                    after,
                    limit: 500,
                },
            )
            .await
            .unwrap();
        let Some(last) = page.last() else {
            return all;
        };
        after = Some(last.id);
        all.extend(page);
    }
}

pub async fn people_and_role_assignments_are_imported_in_bulk(store: &dyn Store) {
    let a = tenant(store, "nord").await;
    let b = tenant(store, "sued").await;
    let root = unit(store, a, None, "Handel Nord").await;
    let shop = unit(store, a, Some(root.id), "Markt Altona").await;
    let foreign_unit = unit(store, b, None, "Süd").await;
    let foreign_boss = person(store, b, "Boss", None).await;
    let at = Utc::now().trunc_subsecs(6) - Duration::days(30);
    let new_person = |scope: TenantScope, i: usize, manager: Option<PersonId>| Person {
        tenant_id: scope.tenant_id(),
        id: PersonId::generate(),
        display_name: format!("Person {i}"),
        email: (!i.is_multiple_of(3)).then(|| format!("person.{i}@example.de")),
        org_unit_id: Some(if i.is_multiple_of(2) {
            root.id
        } else {
            shop.id
        }),
        manager_id: manager,
        locale: i.is_multiple_of(5).then(|| "de".to_owned()),
        created_at: at + Duration::seconds(i as i64),
    };

    // 1,000 people (more than two chunks), with managers in the batch listed after their reports.
    let boss = new_person(a, 0, None);
    let mut people = vec![boss.clone()];
    for i in 1..1000 {
        people.push(new_person(a, i, Some(boss.id)));
    }
    let heads: Vec<PersonId> = people[1..11].iter().map(|p| p.id).collect();
    for (i, p) in people.iter_mut().enumerate().skip(11) {
        p.manager_id = Some(heads[i % heads.len()]);
    }
    people.reverse();
    store.import_people(a, &people).await.unwrap();
    let mut stored = all_people(store, a, None).await;
    let mut expected = people.clone();
    stored.sort_by_key(|p| p.id);
    expected.sort_by_key(|p| p.id);
    assert_eq!(stored, expected, "every field as given");
    assert_eq!(all_people(store, a, Some(shop.id)).await.len(), 500);
    let login = store
        .login_candidate(a, "person.1@example.de")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(login.password_hash, None, "no passwords");

    // Refused whole, even when the bad row is in a later chunk: nothing is half-written.
    let count = stored.len();
    let batch = |bad: usize, change: &dyn Fn(&mut Person)| {
        let mut batch: Vec<Person> = (0..900).map(|i| new_person(a, 2000 + i, None)).collect();
        change(&mut batch[bad]);
        batch
    };
    let foreign_unit_batch = batch(850, &|p| p.org_unit_id = Some(foreign_unit.id));
    let foreign_manager_batch = batch(850, &|p| p.manager_id = Some(foreign_boss.id));
    let unknown_manager_batch = batch(450, &|p| p.manager_id = Some(PersonId::generate()));
    let other_tenant_batch = batch(850, &|p| p.tenant_id = b.tenant_id());
    for refused in [
        &foreign_unit_batch,
        &foreign_manager_batch,
        &unknown_manager_batch,
        &other_tenant_batch,
    ] {
        let result = store.import_people(a, refused).await;
        assert!(
            matches!(result, Err(StoreError::InvalidReference(_))),
            "{result:?}"
        );
        assert!(matches!(
            store.person(a, refused[0].id).await,
            Err(StoreError::NotFound(_))
        ));
    }
    let taken_email = batch(850, &|p| p.email = Some("person.1@example.de".into()));
    let result = store.import_people(a, &taken_email).await;
    assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
    let mut cycle = batch(0, &|_| {});
    let (first, second) = (cycle[10].id, cycle[20].id);
    cycle[10].manager_id = Some(second);
    cycle[20].manager_id = Some(first);
    let result = store.import_people(a, &cycle).await;
    assert!(
        matches!(result, Err(StoreError::InvalidReference(_))),
        "{result:?}"
    );
    assert_eq!(all_people(store, a, None).await.len(), count);
    assert_eq!(all_people(store, b, None).await, vec![foreign_boss.clone()]);

    // Role assignments.
    let seller = store
        .create_role(
            a,
            NewRole {
                name: "Verkäufer/in".into(),
                description: None,
            },
        )
        .await
        .unwrap();
    let lead = store
        .create_role(
            a,
            NewRole {
                name: "Marktleitung".into(),
                description: None,
            },
        )
        .await
        .unwrap();
    let foreign_role = store
        .create_role(
            b,
            NewRole {
                name: "Verkäufer/in".into(),
                description: None,
            },
        )
        .await
        .unwrap();
    let assignment = |p: &Person, role: RoleId, kind: RoleAssignmentKind| RoleAssignment {
        tenant_id: a.tenant_id(),
        person_id: p.id,
        role_id: role,
        kind,
        assigned_at: at,
    };
    let mut assignments: Vec<RoleAssignment> = people
        .iter()
        .map(|p| assignment(p, seller.id, RoleAssignmentKind::Current))
        .collect();
    assignments.push(assignment(&people[3], lead.id, RoleAssignmentKind::Aspired));
    store
        .import_role_assignments(a, &assignments)
        .await
        .unwrap();
    store
        .import_role_assignments(a, &assignments[..10])
        .await
        .unwrap();
    let mut of_third = store.role_assignments(a, people[3].id).await.unwrap();
    of_third.sort_by_key(|r| r.kind.as_str());
    assert_eq!(
        of_third,
        vec![assignments[1000].clone(), assignments[3].clone()]
    );
    assert_eq!(
        store.role_assignments(a, people[999].id).await.unwrap(),
        vec![assignments[999].clone()]
    );

    let fresh = |bad: Option<RoleAssignment>| {
        let mut batch: Vec<RoleAssignment> = people
            .iter()
            .map(|p| assignment(p, lead.id, RoleAssignmentKind::Current))
            .collect();
        if let Some(bad) = bad {
            batch[900] = bad;
        }
        batch
    };
    for bad in [
        assignment(&people[900], foreign_role.id, RoleAssignmentKind::Current),
        assignment(&foreign_boss, seller.id, RoleAssignmentKind::Current),
        RoleAssignment {
            tenant_id: b.tenant_id(),
            ..assignment(&foreign_boss, foreign_role.id, RoleAssignmentKind::Current)
        },
    ] {
        let result = store.import_role_assignments(a, &fresh(Some(bad))).await;
        assert!(
            matches!(result, Err(StoreError::InvalidReference(_))),
            "{result:?}"
        );
        assert_eq!(
            store.role_assignments(a, people[0].id).await.unwrap(),
            vec![assignments[0].clone()],
            "nothing of a refused batch is written"
        );
    }
    assert!(store
        .role_assignments(b, foreign_boss.id)
        .await
        .unwrap()
        .is_empty());

    // What was imported is what the group pages read: by key range for the whole tenant, by list
    // of ids for an org unit (everyone is in the root's subtree), with the same result.
    use crate::competencies::{EstimateRecord, PeopleGroup, PersonCompetencies, RoleRequirement};
    use mycel_competency::framework::{Label, Labels};
    use mycel_competency::scale::Level;
    use mycel_competency::{CompetencyKind, FrameworkImport, FrameworkKind, ImportedCompetency};
    use mycel_organisation::CompetencyId;
    let labels = |en: &str| {
        Labels::from([(
            "en".to_owned(),
            Label {
                preferred: en.into(),
                alternatives: vec![],
                description: None,
            },
        )])
    };
    let framework = FrameworkImport {
        kind: FrameworkKind::Own,
        uri: "kasse".into(),
        title: labels("Checkout"),
        version: "1".into(),
        competencies: ["till", "returns", "shelves"]
            .into_iter()
            .map(|code| ImportedCompetency {
                uri: code.into(),
                code: None,
                kind: CompetencyKind::Skill,
                category: None,
                labels: labels(code),
            })
            .collect(),
        relations: vec![],
        occupations: vec![],
    };
    store
        .import_framework(Some(a), &framework, &|_| {})
        .await
        .unwrap();
    let mut skills: Vec<CompetencyId> = store
        .search_competencies(
            a,
            &crate::competencies::CompetencySearch {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    skills.sort();
    assert_eq!(skills.len(), 3);
    let level = |v: f64| Level::new(v).unwrap();
    let line = |c: CompetencyId, target: f64| RoleRequirement {
        competency_id: c,
        kind: mycel_competency::RequirementKind::Required,
        target: level(target),
    };
    store
        .set_role_requirements(a, seller.id, &[line(skills[0], 3.0), line(skills[1], 2.0)])
        .await
        .unwrap();
    store
        .set_role_requirements(a, lead.id, &[line(skills[2], 4.0)])
        .await
        .unwrap();
    let estimates: Vec<EstimateRecord> = people
        .iter()
        .step_by(7)
        .map(|p| EstimateRecord {
            person_id: p.id,
            competency_id: skills[0],
            level: level(1.5),
            confidence: 0.5,
            evidence_count: 1,
            computed_at: at,
        })
        .collect();
    store.put_estimates(a, &estimates).await.unwrap();
    store
        .set_profile_shared(a, people[5].id, true)
        .await
        .unwrap();
    let pages = |group: PeopleGroup| async move {
        let mut all: Vec<PersonCompetencies> = Vec::new();
        loop {
            let page = store
                .group_competencies(a, group, all.last().map(|p| p.person_id), 700)
                .await
                .unwrap();
            if page.is_empty() {
                return all;
            }
            all.extend(page);
        }
    };
    let by_range = pages(PeopleGroup::Tenant).await;
    let mut by_list = pages(PeopleGroup::OrgUnit(root.id)).await;
    assert_eq!(by_range.len(), 1000);
    for p in &mut by_list {
        p.estimates.sort_by_key(|(c, _, _)| *c);
    }
    assert_eq!(by_range, by_list);
    let seen = |p: &Person| by_range.iter().find(|c| c.person_id == p.id).unwrap();
    let seller_targets = vec![(skills[0], level(3.0)), (skills[1], level(2.0))];
    assert_eq!(
        seen(&people[3]).targets,
        seller_targets,
        "aspired roles set no targets"
    );
    assert_eq!(
        seen(&people[0]).estimates,
        vec![(skills[0], level(1.5), 0.5)]
    );
    assert!(seen(&people[1]).estimates.is_empty());
    assert!(seen(&people[5]).shared && !seen(&people[6]).shared);
}

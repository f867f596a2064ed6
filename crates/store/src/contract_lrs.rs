//! The learning record store's part of the contract suite.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::lrs::*;
use crate::*;
use chrono::{Duration, Utc};
use uuid::Uuid;

async fn tenant(store: &dyn Store, slug: &str) -> TenantScope {
    let t = store
        .create_tenant(NewTenant {
            slug: slug.into(),
            name: slug.into(),
        })
        .await
        .unwrap();
    TenantScope::system(t.id)
}

fn statement(actor: &str, verb: &str, activity: &str) -> NewStatement {
    let id = Uuid::now_v7();
    let now = Utc::now();
    NewStatement {
        id,
        stored: now,
        timestamp: now,
        verb_id: verb.into(),
        registration: None,
        voids: None,
        refers_to: None,
        credential_id: None,
        agents: vec![StatementAgent {
            key: actor.into(),
            direct: true,
        }],
        activities: vec![StatementActivity {
            id: activity.into(),
            direct: true,
        }],
        attachment_hashes: vec![],
        activity_definitions: vec![],
        json: format!(r#"{{"id":"{id}","actor":"{actor}","verb":"{verb}","object":"{activity}"}}"#),
    }
}

fn ids(found: &[StoredStatement]) -> Vec<Uuid> {
    found.iter().map(|s| s.id).collect()
}

fn query() -> StatementQuery {
    StatementQuery {
        limit: 100,
        ..StatementQuery::default()
    }
}

pub async fn statements_are_stored_in_order_and_fed_out(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    assert_eq!(store.latest_statement(t).await.unwrap(), None);
    let a = statement("mbox:mailto:anna@x.de", "verb:launched", "act:1");
    let b = statement("mbox:mailto:anna@x.de", "verb:completed", "act:1");
    let last = store
        .insert_statements(t, vec![a.clone(), b.clone()])
        .await
        .unwrap();
    assert_eq!(last, 2);
    let c = statement("mbox:mailto:ben@x.de", "verb:launched", "act:2");
    assert_eq!(
        store.insert_statements(t, vec![c.clone()]).await.unwrap(),
        3
    );
    let found = store
        .statements_by_id(t, &[b.id, Uuid::now_v7(), a.id])
        .await
        .unwrap();
    assert_eq!(ids(&found), vec![b.id, a.id]);
    assert_eq!(found[1].json, a.json);
    assert!(!found[0].voided && !found[0].is_voiding);
    let feed = store.statements_after(t, 1, 10).await.unwrap();
    assert_eq!(
        feed.iter().map(|s| (s.seq, s.id)).collect::<Vec<_>>(),
        vec![(2, b.id), (3, c.id)]
    );
    assert_eq!(store.latest_statement(t).await.unwrap().unwrap().seq, 3);
}

pub async fn a_batch_is_stored_whole_or_not_at_all(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let a = statement("mbox:mailto:anna@x.de", "verb:launched", "act:1");
    store.insert_statements(t, vec![a.clone()]).await.unwrap();
    let fresh = statement("mbox:mailto:anna@x.de", "verb:completed", "act:1");
    let mut again = statement("mbox:mailto:anna@x.de", "verb:other", "act:1");
    again.id = a.id;
    let result = store.insert_statements(t, vec![fresh.clone(), again]).await;
    assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
    assert!(
        store
            .statements_by_id(t, &[fresh.id])
            .await
            .unwrap()
            .is_empty(),
        "half a batch stored"
    );
    assert_eq!(
        store.latest_statement(t).await.unwrap().unwrap().seq,
        1,
        "the sequence did not advance"
    );
    assert_eq!(store.insert_statements(t, vec![fresh]).await.unwrap(), 2);
}

pub async fn statement_queries_filter_and_page(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let registration = Uuid::now_v7();
    let mut launched = statement("mbox:mailto:anna@x.de", "verb:launched", "act:course");
    launched.registration = Some(registration);
    launched.activities.push(StatementActivity {
        id: "act:parent".into(),
        direct: false,
    });
    launched.agents.push(StatementAgent {
        key: "mbox:mailto:trainer@x.de".into(),
        direct: false,
    });
    let completed = statement("mbox:mailto:anna@x.de", "verb:completed", "act:course");
    let other = statement("mbox:mailto:ben@x.de", "verb:launched", "act:other");
    for s in [&launched, &completed, &other] {
        store.insert_statements(t, vec![s.clone()]).await.unwrap();
    }
    let run = |q: StatementQuery| async move { ids(&store.query_statements(t, &q).await.unwrap()) };
    assert_eq!(
        run(query()).await,
        vec![other.id, completed.id, launched.id],
        "newest first"
    );
    assert_eq!(
        run(StatementQuery {
            ascending: true,
            ..query()
        })
        .await,
        vec![launched.id, completed.id, other.id]
    );
    // A walk bounded by the newest number when it began ignores what came later.
    let second = store
        .query_statements(
            t,
            &StatementQuery {
                ascending: true,
                ..query()
            },
        )
        .await
        .unwrap()[1]
        .seq;
    assert_eq!(
        run(StatementQuery {
            through_seq: Some(second),
            ..query()
        })
        .await,
        vec![completed.id, launched.id]
    );
    assert_eq!(
        run(StatementQuery {
            through_seq: Some(second),
            agent: Some("mbox:mailto:anna@x.de".into()),
            ascending: true,
            ..query()
        })
        .await,
        vec![launched.id, completed.id]
    );
    assert_eq!(
        run(StatementQuery {
            agent: Some("mbox:mailto:anna@x.de".into()),
            ..query()
        })
        .await,
        vec![completed.id, launched.id]
    );
    assert_eq!(
        run(StatementQuery {
            agent: Some("mbox:mailto:trainer@x.de".into()),
            ..query()
        })
        .await,
        Vec::<Uuid>::new()
    );
    assert_eq!(
        run(StatementQuery {
            agent: Some("mbox:mailto:trainer@x.de".into()),
            related_agents: true,
            ..query()
        })
        .await,
        vec![launched.id]
    );
    assert_eq!(
        run(StatementQuery {
            verb: Some("verb:launched".into()),
            ..query()
        })
        .await,
        vec![other.id, launched.id]
    );
    assert_eq!(
        run(StatementQuery {
            activity: Some("act:parent".into()),
            ..query()
        })
        .await,
        Vec::<Uuid>::new()
    );
    assert_eq!(
        run(StatementQuery {
            activity: Some("act:parent".into()),
            related_activities: true,
            ..query()
        })
        .await,
        vec![launched.id]
    );
    assert_eq!(
        run(StatementQuery {
            registration: Some(registration),
            ..query()
        })
        .await,
        vec![launched.id]
    );
    assert_eq!(
        run(StatementQuery {
            verb: Some("verb:launched".into()),
            agent: Some("mbox:mailto:anna@x.de".into()),
            ..query()
        })
        .await,
        vec![launched.id],
        "filters combine"
    );
    assert_eq!(
        run(StatementQuery {
            since: Some(Utc::now() + Duration::hours(1)),
            ..query()
        })
        .await,
        Vec::<Uuid>::new()
    );
    assert_eq!(
        run(StatementQuery {
            until: Some(Utc::now() - Duration::hours(1)),
            ..query()
        })
        .await,
        Vec::<Uuid>::new()
    );

    // page walk with a cursor, while a new statement arrives
    let first = store
        .query_statements(
            t,
            &StatementQuery {
                limit: 2,
                ..query()
            },
        )
        .await
        .unwrap();
    assert_eq!(ids(&first), vec![other.id, completed.id]);
    store
        .insert_statements(
            t,
            vec![statement("mbox:mailto:cem@x.de", "verb:launched", "act:x")],
        )
        .await
        .unwrap();
    let last = first.last().unwrap();
    let next = StatementQuery {
        limit: 2,
        after: Some(StatementCursor {
            stored: last.stored,
            seq: last.seq,
        }),
        ..query()
    };
    assert_eq!(run(next).await, vec![launched.id]);
}

pub async fn voided_statements_are_hidden_but_their_references_are_not(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let target = statement("mbox:mailto:anna@x.de", "verb:passed", "act:exam");
    store
        .insert_statements(t, vec![target.clone()])
        .await
        .unwrap();
    let mut voiding = statement(
        "mbox:mailto:admin@x.de",
        "http://adlnet.gov/expapi/verbs/voided",
        "",
    );
    voiding.activities.clear();
    voiding.voids = Some(target.id);
    voiding.refers_to = Some(target.id);
    store
        .insert_statements(t, vec![voiding.clone()])
        .await
        .unwrap();
    let found = store
        .statements_by_id(t, &[target.id, voiding.id])
        .await
        .unwrap();
    assert!(found[0].voided && !found[0].is_voiding);
    assert!(!found[1].voided && found[1].is_voiding);
    assert_eq!(
        ids(&store.query_statements(t, &query()).await.unwrap()),
        vec![voiding.id]
    );
    // filtering for the voided statement's verb returns the statement that refers to it
    let q = StatementQuery {
        verb: Some("verb:passed".into()),
        ..query()
    };
    assert_eq!(
        ids(&store.query_statements(t, &q).await.unwrap()),
        vec![voiding.id]
    );
    // a voiding statement cannot be voided
    let mut again = statement(
        "mbox:mailto:admin@x.de",
        "http://adlnet.gov/expapi/verbs/voided",
        "",
    );
    again.voids = Some(voiding.id);
    store.insert_statements(t, vec![again]).await.unwrap();
    assert!(!store.statements_by_id(t, &[voiding.id]).await.unwrap()[0].voided);
}

pub async fn statements_read_mine_sees_only_its_own(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let mine = mycel_organisation::CredentialId::generate();
    let mut a = statement("mbox:mailto:anna@x.de", "verb:launched", "act:1");
    a.credential_id = Some(mine);
    let b = statement("mbox:mailto:anna@x.de", "verb:launched", "act:1");
    store
        .insert_statements(t, vec![a.clone(), b])
        .await
        .unwrap();
    let q = StatementQuery {
        credential: Some(mine),
        ..query()
    };
    assert_eq!(
        ids(&store.query_statements(t, &q).await.unwrap()),
        vec![a.id]
    );
}

pub async fn attachments_and_activity_definitions(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    store
        .put_attachment(t, "abc", "text/plain", b"hello")
        .await
        .unwrap();
    store
        .put_attachment(t, "abc", "text/plain", b"hello")
        .await
        .unwrap();
    assert_eq!(
        store.attachment(t, "abc").await.unwrap(),
        ("text/plain".to_owned(), b"hello".to_vec())
    );
    assert!(matches!(
        store.attachment(t, "nope").await,
        Err(StoreError::NotFound(_))
    ));
    let mut s = statement("mbox:mailto:anna@x.de", "verb:launched", "act:1");
    s.activity_definitions = vec![("act:1".into(), r#"{"name":{"en":"One"}}"#.into())];
    store.insert_statements(t, vec![s]).await.unwrap();
    let mut s = statement("mbox:mailto:anna@x.de", "verb:launched", "act:1");
    s.activity_definitions = vec![("act:1".into(), r#"{"name":{"en":"One, renamed"}}"#.into())];
    store.insert_statements(t, vec![s]).await.unwrap();
    assert_eq!(
        store
            .activity_definitions(t, &["act:1".into(), "act:2".into()])
            .await
            .unwrap(),
        vec![(
            "act:1".to_owned(),
            r#"{"name":{"en":"One, renamed"}}"#.to_owned()
        )]
    );
}

fn write(content: &str, etag: &str) -> DocumentWrite {
    DocumentWrite {
        content_type: "application/json".into(),
        content: content.as_bytes().to_vec(),
        etag: etag.into(),
        updated: Utc::now(),
    }
}

pub async fn documents_are_written_under_conditions(store: &dyn Store) {
    let t = tenant(store, "nord").await;
    let key = DocumentKey::State {
        activity_id: "act:1".into(),
        agent: "mbox:mailto:anna@x.de".into(),
        registration: None,
        state_id: "bookmark".into(),
    };
    assert_eq!(store.document(t, &key).await.unwrap(), None);
    store
        .put_document(t, &key, write("{\"page\":1}", "\"e1\""), Some(None))
        .await
        .unwrap();
    assert!(matches!(
        store
            .put_document(t, &key, write("{}", "\"e2\""), Some(None))
            .await,
        Err(StoreError::PreconditionFailed(_))
    ));
    assert!(matches!(
        store
            .put_document(
                t,
                &key,
                write("{}", "\"e2\""),
                Some(Some("\"wrong\"".into()))
            )
            .await,
        Err(StoreError::PreconditionFailed(_))
    ));
    store
        .put_document(
            t,
            &key,
            write("{\"page\":2}", "\"e2\""),
            Some(Some("\"e1\"".into())),
        )
        .await
        .unwrap();
    let doc = store.document(t, &key).await.unwrap().unwrap();
    assert_eq!(
        (doc.content.as_slice(), doc.etag.as_str()),
        (&b"{\"page\":2}"[..], "\"e2\"")
    );
    store
        .put_document(t, &key, write("{\"page\":3}", "\"e3\""), None)
        .await
        .unwrap();

    let registration = Uuid::now_v7();
    let other = DocumentKey::State {
        activity_id: "act:1".into(),
        agent: "mbox:mailto:anna@x.de".into(),
        registration: Some(registration),
        state_id: "suspend".into(),
    };
    store
        .put_document(t, &other, write("x", "\"x\""), None)
        .await
        .unwrap();
    let all = DocumentSet::States {
        activity_id: "act:1".into(),
        agent: "mbox:mailto:anna@x.de".into(),
        registration: None,
    };
    let in_registration = DocumentSet::States {
        activity_id: "act:1".into(),
        agent: "mbox:mailto:anna@x.de".into(),
        registration: Some(registration),
    };
    assert_eq!(
        store.document_ids(t, &all, None).await.unwrap(),
        vec!["bookmark", "suspend"]
    );
    assert_eq!(
        store.document_ids(t, &in_registration, None).await.unwrap(),
        vec!["suspend"]
    );
    assert!(store
        .document_ids(t, &all, Some(Utc::now() + Duration::hours(1)))
        .await
        .unwrap()
        .is_empty());

    let profile = DocumentKey::ActivityProfile {
        activity_id: "act:1".into(),
        profile_id: "p".into(),
    };
    store
        .put_document(t, &profile, write("p", "\"p\""), None)
        .await
        .unwrap();
    assert_eq!(
        store
            .document_ids(
                t,
                &DocumentSet::ActivityProfiles {
                    activity_id: "act:1".into()
                },
                None
            )
            .await
            .unwrap(),
        vec!["p"]
    );
    let agent_profile = DocumentKey::AgentProfile {
        agent: "mbox:mailto:anna@x.de".into(),
        profile_id: "q".into(),
    };
    store
        .put_document(t, &agent_profile, write("q", "\"q\""), None)
        .await
        .unwrap();
    assert_eq!(
        store
            .document_ids(
                t,
                &DocumentSet::AgentProfiles {
                    agent: "mbox:mailto:anna@x.de".into()
                },
                None
            )
            .await
            .unwrap(),
        vec!["q"]
    );

    assert!(matches!(
        store
            .delete_document(t, &profile, Some(Some("\"other\"".into())))
            .await,
        Err(StoreError::PreconditionFailed(_))
    ));
    assert!(store
        .delete_document(t, &profile, Some(Some("\"p\"".into())))
        .await
        .unwrap());
    assert!(!store.delete_document(t, &profile, None).await.unwrap());
    assert_eq!(store.delete_documents(t, &all).await.unwrap(), 2);
    assert_eq!(store.document(t, &key).await.unwrap(), None);
    assert!(
        store.document(t, &agent_profile).await.unwrap().is_some(),
        "profiles are not states"
    );
}

pub async fn the_record_store_keeps_tenants_apart(store: &dyn Store) {
    let a = tenant(store, "nord").await;
    let b = tenant(store, "sued").await;
    let s = statement("mbox:mailto:anna@x.de", "verb:launched", "act:1");
    store.insert_statements(a, vec![s.clone()]).await.unwrap();
    assert!(store.statements_by_id(b, &[s.id]).await.unwrap().is_empty());
    assert!(store
        .query_statements(b, &query())
        .await
        .unwrap()
        .is_empty());
    assert!(store.statements_after(b, 0, 10).await.unwrap().is_empty());
    assert_eq!(store.latest_statement(b).await.unwrap(), None);
    // the same id may exist in two tenants, each with its own sequence
    assert_eq!(
        store.insert_statements(b, vec![s.clone()]).await.unwrap(),
        1
    );
    let key = DocumentKey::AgentProfile {
        agent: "mbox:mailto:anna@x.de".into(),
        profile_id: "p".into(),
    };
    store
        .put_document(a, &key, write("a", "\"a\""), None)
        .await
        .unwrap();
    assert_eq!(store.document(b, &key).await.unwrap(), None);
    store
        .put_attachment(a, "h", "text/plain", b"a")
        .await
        .unwrap();
    assert!(store.attachment(b, "h").await.is_err());
}

//! The learning record store's implementation, written once and expanded for both pools by
//! [`lrs_store!`] (see `shared.rs` for why).

use mycel_store::lrs::{DocumentKey, NewStatement, StatementQuery};

/// How many rows one multi-row INSERT carries (well below SQLite's parameter limit).
pub(crate) const ROWS_PER_INSERT: usize = 500;

/// The key columns of a document: kind, activity id, agent key, registration, document id.
pub(crate) fn document_key_parts(key: &DocumentKey) -> (&'static str, &str, &str, String, &str) {
    match key {
        DocumentKey::State {
            activity_id,
            agent,
            registration,
            state_id,
        } => (
            "state",
            activity_id,
            agent,
            registration.map(|r| r.to_string()).unwrap_or_default(),
            state_id,
        ),
        DocumentKey::ActivityProfile {
            activity_id,
            profile_id,
        } => (
            "activity_profile",
            activity_id,
            "",
            String::new(),
            profile_id,
        ),
        DocumentKey::AgentProfile { agent, profile_id } => {
            ("agent_profile", "", agent, String::new(), profile_id)
        }
    }
}

/// One index term of a statement or a query: kind (`agent`, `activity`, `verb`, `registration`),
/// the term, and its level (1 related, 2 direct).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    pub kind: &'static str,
    pub term: String,
    pub level: i16,
}

/// A term row of a stored statement.
pub(crate) struct TermRow {
    pub kind: &'static str,
    pub term: String,
    pub seq: i64,
    pub stored: chrono::DateTime<chrono::Utc>,
    pub own: i16,
}

/// The term rows of numbered statements: each (kind, term) once per statement, at its highest level.
pub(crate) fn term_rows(numbered: &[(i64, &NewStatement)]) -> Vec<TermRow> {
    let mut rows = Vec::new();
    for (seq, statement) in numbered {
        let mut terms: Vec<Term> = Vec::new();
        let mut add = |kind: &'static str, term: &str, direct: bool| {
            let level = if direct { 2 } else { 1 };
            match terms.iter_mut().find(|t| t.kind == kind && t.term == term) {
                Some(known) => known.level = known.level.max(level),
                None => terms.push(Term {
                    kind,
                    term: term.to_owned(),
                    level,
                }),
            }
        };
        for agent in &statement.agents {
            add("agent", &agent.key, agent.direct);
        }
        for activity in &statement.activities {
            add("activity", &activity.id, activity.direct);
        }
        add("verb", &statement.verb_id, true);
        if let Some(registration) = statement.registration {
            add("registration", &registration.to_string(), true);
        }
        rows.extend(terms.into_iter().map(|t| TermRow {
            kind: t.kind,
            term: t.term,
            seq: *seq,
            stored: statement.stored,
            own: t.level,
        }));
    }
    rows
}

/// The terms a query asks for, the most selective first (it drives the query).
pub(crate) fn query_terms(query: &StatementQuery) -> Vec<Term> {
    let level = |related: bool| if related { 1 } else { 2 };
    let mut terms = Vec::new();
    if let Some(registration) = query.registration {
        terms.push(Term {
            kind: "registration",
            term: registration.to_string(),
            level: 2,
        });
    }
    if let Some(agent) = &query.agent {
        terms.push(Term {
            kind: "agent",
            term: agent.clone(),
            level: level(query.related_agents),
        });
    }
    if let Some(activity) = &query.activity {
        terms.push(Term {
            kind: "activity",
            term: activity.clone(),
            level: level(query.related_activities),
        });
    }
    if let Some(verb) = &query.verb {
        terms.push(Term {
            kind: "verb",
            term: verb.clone(),
            level: 2,
        });
    }
    terms
}

pub(crate) fn split_hashes(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|h| !h.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Implements [`mycel_store::LrsStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! lrs_store {
    ($store:ident, $db:ty) => {
        mod lrs_rows {
            use crate::shared_lrs::split_hashes;
            use mycel_store::lrs::*;
            use sqlx::Row;

            pub(super) fn statement(row: &<$db as sqlx::Database>::Row) -> Result<StoredStatement, sqlx::Error> {
                Ok(StoredStatement {
                    seq: row.try_get("seq")?,
                    id: row.try_get("id")?,
                    stored: row.try_get("stored")?,
                    voided: row.try_get("voided")?,
                    is_voiding: row.try_get("is_voiding")?,
                    attachment_hashes: split_hashes(row.try_get("attachments")?),
                    json: row.try_get("body")?,
                })
            }

            /// Appends, for the term row `d` that drives the query, that the statement has every
            /// other term too: all of them its own, or all of them through its StatementRef.
            pub(super) fn push_terms(
                qb: &mut sqlx::QueryBuilder<'_, $db>,
                terms: &[crate::shared_lrs::Term],
            ) {
                let Some((first, rest)) = terms.split_first() else {
                    return;
                };
                qb.push(" AND (");
                for (i, column) in ["own", "via_ref"].into_iter().enumerate() {
                    if i > 0 {
                        qb.push(" OR ");
                    }
                    qb.push(format!("(d.{column} >= "));
                    qb.push_bind(first.level);
                    for term in rest {
                        qb.push(" AND EXISTS (SELECT 1 FROM xapi_statement_terms e WHERE e.tenant_id = d.tenant_id AND e.stored = d.stored AND e.seq = d.seq AND e.kind = ");
                        qb.push_bind(term.kind);
                        qb.push(" AND e.term = ");
                        qb.push_bind(term.term.clone());
                        qb.push(format!(" AND e.{column} >= "));
                        qb.push_bind(term.level);
                        qb.push(")");
                    }
                    qb.push(")");
                }
                qb.push(")");
            }
        }

        #[async_trait::async_trait]
        impl mycel_store::LrsStore for $store {
            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), statements = batch.len()))]
            async fn insert_statements(&self, scope: TenantScope, batch: Vec<mycel_store::lrs::NewStatement>) -> StoreResult<i64> {
                let err = store_error("statement");
                let tenant = scope.tenant_id().as_uuid();
                let count = i64::try_from(batch.len()).map_err(|e| StoreError::Backend(e.to_string()))?;
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let last: i64 = sqlx::query_scalar(q_lrs::RESERVE_SEQ)
                    .bind(tenant)
                    .bind(count)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(&err)?;
                let first = last - count + 1;
                let numbered: Vec<(i64, &mycel_store::lrs::NewStatement)> =
                    batch.iter().enumerate().map(|(i, s)| (first + i as i64, s)).collect();
                for chunk in numbered.chunks(crate::shared_lrs::ROWS_PER_INSERT) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO xapi_statements (tenant_id, id, seq, stored, ts, verb_id, registration, voids, refers_to, credential_id, attachments, body) ",
                    );
                    qb.push_values(chunk, |mut row, (seq, s)| {
                        row.push_bind(tenant)
                            .push_bind(s.id)
                            .push_bind(*seq)
                            .push_bind(s.stored)
                            .push_bind(s.timestamp)
                            .push_bind(s.verb_id.clone())
                            .push_bind(s.registration)
                            .push_bind(s.voids)
                            .push_bind(s.refers_to)
                            .push_bind(s.credential_id.map(|c| c.as_uuid()))
                            .push_bind(s.attachment_hashes.join(","))
                            .push_bind(s.json.clone());
                    });
                    qb.build().execute(&mut *tx).await.map_err(&err)?;
                }
                let terms = crate::shared_lrs::term_rows(&numbered);
                for chunk in terms.chunks(crate::shared_lrs::ROWS_PER_INSERT) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO xapi_statement_terms (tenant_id, kind, term, seq, stored, own, via_ref) ",
                    );
                    qb.push_values(chunk, |mut row, t| {
                        row.push_bind(tenant)
                            .push_bind(t.kind)
                            .push_bind(t.term.clone())
                            .push_bind(t.seq)
                            .push_bind(t.stored)
                            .push_bind(t.own)
                            .push_bind(0_i16);
                    });
                    qb.build().execute(&mut *tx).await.map_err(&err)?;
                }
                // Statements referring to another take its terms: those of this batch, and those
                // stored before whose target arrives only now.
                let mut inherit: Vec<(i64, chrono::DateTime<chrono::Utc>, uuid::Uuid)> = numbered
                    .iter()
                    .filter_map(|(seq, s)| s.refers_to.map(|target| (*seq, s.stored, target)))
                    .collect();
                let ids: Vec<uuid::Uuid> = batch.iter().map(|s| s.id).collect();
                for chunk in ids.chunks(crate::shared_lrs::ROWS_PER_INSERT) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT seq, stored, refers_to FROM xapi_statements WHERE tenant_id = ");
                    qb.push_bind(tenant);
                    qb.push(" AND refers_to IS NOT NULL AND refers_to IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    qb.push(")");
                    let earlier: Vec<(i64, chrono::DateTime<chrono::Utc>, uuid::Uuid)> =
                        qb.build_query_as().fetch_all(&mut *tx).await.map_err(&err)?;
                    for referrer in earlier {
                        if !inherit.contains(&referrer) {
                            inherit.push(referrer);
                        }
                    }
                }
                for (seq, stored, target) in inherit {
                    sqlx::query(q_lrs::INHERIT_TERMS)
                        .bind(tenant)
                        .bind(target)
                        .bind(seq)
                        .bind(stored)
                        .execute(&mut *tx)
                        .await
                        .map_err(&err)?;
                }
                for target in batch.iter().filter_map(|s| s.voids) {
                    sqlx::query(q_lrs::VOID_STATEMENT).bind(tenant).bind(target).execute(&mut *tx).await.map_err(&err)?;
                }
                // One row per activity (the last definition wins): an upsert may not touch a row twice.
                let mut definitions: Vec<&(String, String)> = Vec::new();
                for definition in batch.iter().flat_map(|s| &s.activity_definitions).rev() {
                    if !definitions.iter().any(|(id, _)| *id == definition.0) {
                        definitions.push(definition);
                    }
                }
                for chunk in definitions.chunks(crate::shared_lrs::ROWS_PER_INSERT) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO xapi_activities (tenant_id, activity_id, definition) ");
                    qb.push_values(chunk, |mut row, (id, definition)| {
                        row.push_bind(tenant).push_bind(id.clone()).push_bind(definition.clone());
                    });
                    qb.push(" ON CONFLICT (tenant_id, activity_id) DO UPDATE SET definition = excluded.definition");
                    qb.build().execute(&mut *tx).await.map_err(&err)?;
                }
                tx.commit().await.map_err(&err)?;
                Ok(last)
            }

            async fn statements_by_id(&self, scope: TenantScope, ids: &[uuid::Uuid]) -> StoreResult<Vec<mycel_store::lrs::StoredStatement>> {
                let mut found = std::collections::HashMap::with_capacity(ids.len());
                for chunk in ids.chunks(crate::shared_lrs::ROWS_PER_INSERT) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT ");
                    qb.push(q_lrs::STATEMENT_COLUMNS);
                    qb.push(" FROM xapi_statements s WHERE s.tenant_id = ");
                    qb.push_bind(scope.tenant_id().as_uuid());
                    qb.push(" AND s.id IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    qb.push(")");
                    for row in qb.build().fetch_all(&self.pool).await.map_err(store_error("statement"))? {
                        let statement = lrs_rows::statement(&row).map_err(store_error("statement"))?;
                        found.insert(statement.id, statement);
                    }
                }
                // In the order asked for.
                Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn query_statements(
                &self,
                scope: TenantScope,
                query: &mycel_store::lrs::StatementQuery,
            ) -> StoreResult<Vec<mycel_store::lrs::StoredStatement>> {
                let tenant = scope.tenant_id().as_uuid();
                let terms = crate::shared_lrs::query_terms(query);
                let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT ");
                qb.push(q_lrs::STATEMENT_COLUMNS);
                // The most selective term drives the query through its ordered index range.
                let order = match terms.first() {
                    Some(driver) => {
                        qb.push(" FROM xapi_statement_terms d JOIN xapi_statements s ON s.tenant_id = d.tenant_id AND s.seq = d.seq WHERE d.tenant_id = ");
                        qb.push_bind(tenant);
                        qb.push(" AND d.kind = ");
                        qb.push_bind(driver.kind);
                        qb.push(" AND d.term = ");
                        qb.push_bind(driver.term.clone());
                        lrs_rows::push_terms(&mut qb, &terms);
                        "d"
                    }
                    None => {
                        qb.push(" FROM xapi_statements s WHERE s.tenant_id = ");
                        qb.push_bind(tenant);
                        "s"
                    }
                };
                qb.push(" AND s.voided = FALSE");
                if let Some(since) = query.since {
                    qb.push(format!(" AND {order}.stored > "));
                    qb.push_bind(since);
                }
                if let Some(until) = query.until {
                    qb.push(format!(" AND {order}.stored <= "));
                    qb.push_bind(until);
                }
                if let Some(through) = query.through_seq {
                    qb.push(format!(" AND {order}.seq <= "));
                    qb.push_bind(through);
                }
                if let Some(credential) = query.credential {
                    qb.push(" AND s.credential_id = ");
                    qb.push_bind(credential.as_uuid());
                }
                let (cmp, direction) = if query.ascending { (">", "ASC") } else { ("<", "DESC") };
                if let Some(after) = query.after {
                    qb.push(format!(" AND ({order}.stored {cmp} "));
                    qb.push_bind(after.stored);
                    qb.push(format!(" OR ({order}.stored = "));
                    qb.push_bind(after.stored);
                    qb.push(format!(" AND {order}.seq {cmp} "));
                    qb.push_bind(after.seq);
                    qb.push("))");
                }
                qb.push(format!(" ORDER BY {order}.stored {direction}, {order}.seq {direction} LIMIT "));
                qb.push_bind(i64::from(query.limit));
                qb.build()
                    .fetch_all(&self.pool)
                    .await
                    .and_then(|rows| rows.iter().map(lrs_rows::statement).collect())
                    .map_err(store_error("statement"))
            }

            async fn latest_statement(&self, scope: TenantScope) -> StoreResult<Option<mycel_store::lrs::StatementCursor>> {
                let row = sqlx::query(q_lrs::LATEST_STATEMENT)
                    .bind(scope.tenant_id().as_uuid())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(store_error("statement"))?;
                row.map(|row| {
                    Ok(mycel_store::lrs::StatementCursor {
                        stored: sqlx::Row::try_get(&row, "stored")?,
                        seq: sqlx::Row::try_get(&row, "seq")?,
                    })
                })
                .transpose()
                .map_err(store_error("statement"))
            }

            async fn statements_after(&self, scope: TenantScope, after: i64, limit: u32) -> StoreResult<Vec<mycel_store::lrs::StoredStatement>> {
                sqlx::query(q_lrs::STATEMENTS_AFTER)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(after)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .and_then(|rows| rows.iter().map(lrs_rows::statement).collect())
                    .map_err(store_error("statement"))
            }

            async fn put_attachment(&self, scope: TenantScope, sha2: &str, content_type: &str, content: &[u8]) -> StoreResult<()> {
                sqlx::query(q_lrs::PUT_ATTACHMENT)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(sha2)
                    .bind(content_type)
                    .bind(content)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(store_error("attachment"))
            }

            async fn attachment(&self, scope: TenantScope, sha2: &str) -> StoreResult<(String, Vec<u8>)> {
                let row = sqlx::query(q_lrs::ATTACHMENT)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(sha2)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("attachment"))?;
                Ok((
                    sqlx::Row::try_get(&row, "content_type").map_err(store_error("attachment"))?,
                    sqlx::Row::try_get(&row, "content").map_err(store_error("attachment"))?,
                ))
            }

            async fn activity_definitions(&self, scope: TenantScope, activity_ids: &[String]) -> StoreResult<Vec<(String, String)>> {
                let mut found = Vec::new();
                for chunk in activity_ids.chunks(crate::shared_lrs::ROWS_PER_INSERT) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT activity_id, definition FROM xapi_activities WHERE tenant_id = ");
                    qb.push_bind(scope.tenant_id().as_uuid());
                    qb.push(" AND activity_id IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(id.clone());
                    }
                    qb.push(")");
                    let rows: Vec<(String, String)> = qb
                        .build_query_as()
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error("activity"))?;
                    found.extend(rows);
                }
                Ok(found)
            }

            async fn document(&self, scope: TenantScope, key: &mycel_store::lrs::DocumentKey) -> StoreResult<Option<mycel_store::lrs::Document>> {
                let (kind, activity, agent, registration, id) = crate::shared_lrs::document_key_parts(key);
                let row = sqlx::query(q_lrs::DOCUMENT)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(kind)
                    .bind(activity)
                    .bind(agent)
                    .bind(&registration)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(store_error("document"))?;
                row.map(|row| {
                    use sqlx::Row;
                    Ok(mycel_store::lrs::Document {
                        content_type: row.try_get("content_type")?,
                        content: row.try_get("content")?,
                        etag: row.try_get("etag")?,
                        updated: row.try_get("updated")?,
                    })
                })
                .transpose()
                .map_err(store_error("document"))
            }

            async fn put_document(
                &self,
                scope: TenantScope,
                key: &mycel_store::lrs::DocumentKey,
                write: mycel_store::lrs::DocumentWrite,
                expected_etag: Option<Option<String>>,
            ) -> StoreResult<()> {
                let (kind, activity, agent, registration, id) = crate::shared_lrs::document_key_parts(key);
                let statement = match &expected_etag {
                    None => q_lrs::UPSERT_DOCUMENT,
                    Some(None) => q_lrs::CREATE_DOCUMENT,
                    Some(Some(_)) => q_lrs::REPLACE_DOCUMENT,
                };
                let mut query = sqlx::query(statement)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(kind)
                    .bind(activity)
                    .bind(agent)
                    .bind(&registration)
                    .bind(id)
                    .bind(&write.content_type)
                    .bind(&write.content)
                    .bind(&write.etag)
                    .bind(write.updated);
                if let Some(Some(tag)) = &expected_etag {
                    query = query.bind(tag);
                }
                let done = {
                    let _writer = self.exclusive_write().await;
                    query.execute(&self.pool).await.map_err(store_error("document"))?
                };
                if expected_etag.is_some() && done.rows_affected() == 0 {
                    return Err(StoreError::PreconditionFailed("document"));
                }
                Ok(())
            }

            async fn delete_document(
                &self,
                scope: TenantScope,
                key: &mycel_store::lrs::DocumentKey,
                expected_etag: Option<Option<String>>,
            ) -> StoreResult<bool> {
                let (kind, activity, agent, registration, id) = crate::shared_lrs::document_key_parts(key);
                let exists = self.document(scope, key).await?.is_some();
                let mut query = sqlx::query(match &expected_etag {
                    Some(Some(_)) => q_lrs::DELETE_DOCUMENT_IF,
                    _ => q_lrs::DELETE_DOCUMENT,
                })
                .bind(scope.tenant_id().as_uuid())
                .bind(kind)
                .bind(activity)
                .bind(agent)
                .bind(&registration)
                .bind(id);
                match &expected_etag {
                    Some(Some(tag)) => query = query.bind(tag),
                    Some(None) if exists => return Err(StoreError::PreconditionFailed("document")),
                    _ => {}
                }
                let done = query.execute(&self.pool).await.map_err(store_error("document"))?;
                if matches!(expected_etag, Some(Some(_))) && done.rows_affected() == 0 && exists {
                    return Err(StoreError::PreconditionFailed("document"));
                }
                Ok(done.rows_affected() > 0)
            }

            async fn document_ids(
                &self,
                scope: TenantScope,
                set: &mycel_store::lrs::DocumentSet,
                since: Option<chrono::DateTime<chrono::Utc>>,
            ) -> StoreResult<Vec<String>> {
                let since = since.unwrap_or(chrono::DateTime::<chrono::Utc>::UNIX_EPOCH);
                let tenant = scope.tenant_id().as_uuid();
                let query = match set {
                    mycel_store::lrs::DocumentSet::States { activity_id, agent, registration } => sqlx::query_scalar(q_lrs::STATE_IDS)
                        .bind(tenant)
                        .bind(activity_id.clone())
                        .bind(agent.clone())
                        .bind(registration.map(|r| r.to_string()).unwrap_or_default())
                        .bind(registration.is_none())
                        .bind(since),
                    mycel_store::lrs::DocumentSet::ActivityProfiles { activity_id } => sqlx::query_scalar(q_lrs::DOCUMENT_IDS)
                        .bind(tenant)
                        .bind("activity_profile")
                        .bind(activity_id.clone())
                        .bind(String::new())
                        .bind(String::new())
                        .bind(since),
                    mycel_store::lrs::DocumentSet::AgentProfiles { agent } => sqlx::query_scalar(q_lrs::DOCUMENT_IDS)
                        .bind(tenant)
                        .bind("agent_profile")
                        .bind(String::new())
                        .bind(agent.clone())
                        .bind(String::new())
                        .bind(since),
                };
                query.fetch_all(&self.pool).await.map_err(store_error("document"))
            }

            async fn delete_documents(&self, scope: TenantScope, set: &mycel_store::lrs::DocumentSet) -> StoreResult<u64> {
                let tenant = scope.tenant_id().as_uuid();
                let query = match set {
                    mycel_store::lrs::DocumentSet::States { activity_id, agent, registration } => sqlx::query(q_lrs::DELETE_STATES)
                        .bind(tenant)
                        .bind(activity_id.clone())
                        .bind(agent.clone())
                        .bind(registration.map(|r| r.to_string()).unwrap_or_default())
                        .bind(registration.is_none()),
                    mycel_store::lrs::DocumentSet::ActivityProfiles { activity_id } => sqlx::query(q_lrs::DELETE_PROFILES)
                        .bind(tenant)
                        .bind("activity_profile")
                        .bind(activity_id.clone())
                        .bind(String::new()),
                    mycel_store::lrs::DocumentSet::AgentProfiles { agent } => sqlx::query(q_lrs::DELETE_PROFILES)
                        .bind(tenant)
                        .bind("agent_profile")
                        .bind(String::new())
                        .bind(agent.clone()),
                };
                query
                    .execute(&self.pool)
                    .await
                    .map(|done| done.rows_affected())
                    .map_err(store_error("document"))
            }
        }
    };
}

pub(crate) use lrs_store;

//! The competency engine's store, written once and expanded for both pools by
//! [`competency_store!`] (see `shared.rs` for why).

use mycel_competency::framework::{Label, Labels};
use mycel_store::StoreError;

/// Ids per `IN (…)` list and rows per multi-row INSERT (well below SQLite's parameter limit).
pub(crate) const CHUNK: usize = 400;

/// One label row: language, preferred, alternatives (one per line), description, search text.
pub(crate) type LabelRow = (String, String, String, Option<String>, String);

pub(crate) fn label_rows(labels: &Labels) -> Vec<LabelRow> {
    labels
        .iter()
        .filter(|(_, label)| !label.preferred.trim().is_empty())
        .map(|(lang, label)| {
            let alternatives = label.alternatives.join("\n");
            let search_text = format!("{}\n{}", label.preferred, alternatives).to_lowercase();
            (
                lang.clone(),
                label.preferred.clone(),
                alternatives,
                label.description.clone(),
                search_text,
            )
        })
        .collect()
}

/// The items of an import, each URI once (the first wins), with the id each keeps (a URI stored
/// before) or gets (a new one); and how many were new and how many known.
pub(crate) fn assign_ids<'a, T>(
    items: &'a [T],
    uri: impl Fn(&T) -> &str,
    known: &std::collections::HashMap<String, uuid::Uuid>,
) -> (
    Vec<&'a T>,
    std::collections::HashMap<&'a str, uuid::Uuid>,
    u64,
    u64,
) {
    let mut ids = std::collections::HashMap::with_capacity(items.len());
    let mut unique = Vec::with_capacity(items.len());
    let (mut added, mut updated) = (0, 0);
    for item in items {
        let key: &'a str = uri(item);
        if ids.contains_key(key) {
            continue;
        }
        let id = match known.get(key) {
            Some(id) => {
                updated += 1;
                *id
            }
            None => {
                added += 1;
                uuid::Uuid::now_v7()
            }
        };
        ids.insert(key, id);
        unique.push(item);
    }
    (unique, ids, added, updated)
}

/// The label rows of these items, each with its item's id.
pub(crate) fn labelled<T>(
    items: &[&T],
    ids: &std::collections::HashMap<&str, uuid::Uuid>,
    uri: impl Fn(&T) -> &str,
    labels: impl Fn(&T) -> &Labels,
) -> Vec<(uuid::Uuid, LabelRow)> {
    items
        .iter()
        .flat_map(|item| {
            let id = ids.get(uri(item)).copied().unwrap_or_default();
            label_rows(labels(item))
                .into_iter()
                .map(move |row| (id, row))
        })
        .collect()
}

pub(crate) fn label_from_row(
    preferred: String,
    alternatives: String,
    description: Option<String>,
) -> Label {
    Label {
        preferred,
        alternatives: alternatives
            .lines()
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect(),
        description,
    }
}

/// `%word%` patterns (lower-case, with LIKE's wildcards escaped) for each word of a search.
pub(crate) fn like_patterns(text: &str) -> Vec<String> {
    text.split_whitespace()
        .take(8)
        .map(|word| {
            let mut pattern = String::from("%");
            for c in word.to_lowercase().chars() {
                if matches!(c, '%' | '_' | '\\') {
                    pattern.push('\\');
                }
                pattern.push(c);
            }
            pattern.push('%');
            pattern
        })
        .collect()
}

pub(crate) fn unknown_references(what: &str, uris: &[String]) -> StoreError {
    let shown: Vec<&str> = uris.iter().take(10).map(String::as_str).collect();
    let more = uris.len().saturating_sub(shown.len());
    StoreError::InvalidReference(format!(
        "{} {what} not found in this framework or any framework this tenant can see: {}{}",
        uris.len(),
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ))
}

pub(crate) fn level(value: f64) -> Result<mycel_competency::scale::Level, sqlx::Error> {
    mycel_competency::scale::Level::new(value)
        .ok_or_else(|| crate::shared::corrupt("level", &value.to_string()))
}

/// Implements [`mycel_store::CompetencyStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! competency_store {
    ($store:ident, $db:ty) => {
        mod competency_rows {
            use crate::shared::corrupt;
            use crate::shared_competencies::level;
            use mycel_competency::*;
            use mycel_store::competencies::*;
            use sqlx::Row;

            pub(super) type DbRow = <$db as sqlx::Database>::Row;

            pub(super) fn framework(row: &DbRow) -> Result<Framework, sqlx::Error> {
                let kind: String = row.try_get("kind")?;
                Ok(Framework {
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    tenant_id: row.try_get::<Option<uuid::Uuid>, _>("tenant_id")?.map(Into::into),
                    kind: FrameworkKind::parse(&kind).ok_or_else(|| corrupt("framework kind", &kind))?,
                    uri: row.try_get("uri")?,
                    title_en: row.try_get("title_en")?,
                    title_de: row.try_get("title_de")?,
                    version: row.try_get("version")?,
                    imported_at: row.try_get("imported_at")?,
                })
            }

            pub(super) fn competency(row: &DbRow) -> Result<CompetencyRecord, sqlx::Error> {
                let kind: String = row.try_get("kind")?;
                Ok(CompetencyRecord {
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    framework_id: row.try_get::<uuid::Uuid, _>("framework_id")?.into(),
                    uri: row.try_get("uri")?,
                    code: row.try_get("code")?,
                    kind: CompetencyKind::parse(&kind).ok_or_else(|| corrupt("competency kind", &kind))?,
                    category: row.try_get("category")?,
                    obsolete: row.try_get("obsolete")?,
                    labels: Default::default(),
                })
            }

            pub(super) fn occupation(row: &DbRow) -> Result<OccupationRecord, sqlx::Error> {
                Ok(OccupationRecord {
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    framework_id: row.try_get::<uuid::Uuid, _>("framework_id")?.into(),
                    uri: row.try_get("uri")?,
                    code: row.try_get("code")?,
                    isco_group: row.try_get("isco_group")?,
                    obsolete: row.try_get("obsolete")?,
                    labels: Default::default(),
                })
            }

            pub(super) fn requirement_kind(value: &str) -> Result<RequirementKind, sqlx::Error> {
                RequirementKind::parse(value).ok_or_else(|| corrupt("requirement kind", value))
            }

            pub(super) fn role_requirement(row: &DbRow) -> Result<RoleRequirement, sqlx::Error> {
                Ok(RoleRequirement {
                    competency_id: row.try_get::<uuid::Uuid, _>("competency_id")?.into(),
                    kind: requirement_kind(row.try_get("kind")?)?,
                    target: level(row.try_get("target_level")?)?,
                })
            }

            pub(super) fn evidence(row: &DbRow) -> Result<Evidence, sqlx::Error> {
                let kind: String = row.try_get("kind")?;
                Ok(Evidence {
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    person_id: row.try_get::<uuid::Uuid, _>("person_id")?.into(),
                    competency_id: row.try_get::<uuid::Uuid, _>("competency_id")?.into(),
                    kind: EvidenceKind::parse(&kind).ok_or_else(|| corrupt("evidence kind", &kind))?,
                    level: level(row.try_get("level")?)?,
                    observed_at: row.try_get("observed_at")?,
                    author_id: row.try_get::<Option<uuid::Uuid>, _>("author_id")?.map(Into::into),
                    source: row.try_get("source")?,
                    link: row.try_get("link")?,
                    note: row.try_get("note")?,
                    recorded_at: row.try_get("recorded_at")?,
                })
            }

            pub(super) fn estimate(row: &DbRow) -> Result<EstimateRecord, sqlx::Error> {
                Ok(EstimateRecord {
                    person_id: row.try_get::<uuid::Uuid, _>("person_id")?.into(),
                    competency_id: row.try_get::<uuid::Uuid, _>("competency_id")?.into(),
                    level: level(row.try_get("level")?)?,
                    confidence: row.try_get("confidence")?,
                    evidence_count: u32::try_from(row.try_get::<i32, _>("evidence_count")?)
                        .map_err(|e| sqlx::Error::Decode(e.into()))?,
                    computed_at: row.try_get("computed_at")?,
                })
            }

            pub(super) fn goal(row: &DbRow) -> Result<LearningGoal, sqlx::Error> {
                Ok(LearningGoal {
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    person_id: row.try_get::<uuid::Uuid, _>("person_id")?.into(),
                    competency_id: row.try_get::<uuid::Uuid, _>("competency_id")?.into(),
                    target: level(row.try_get("target_level")?)?,
                    due: row.try_get("due")?,
                    created_at: row.try_get("created_at")?,
                })
            }
        }

        impl $store {
            /// Fills in the labels of these competencies (or occupations, `occupation` true).
            async fn attach_labels<T>(
                &self,
                items: &mut [T],
                occupation: bool,
                id_of: impl Fn(&T) -> uuid::Uuid,
                labels_of: impl Fn(&mut T) -> &mut mycel_competency::framework::Labels,
            ) -> Result<(), sqlx::Error> {
                use sqlx::Row;
                let ids: Vec<uuid::Uuid> = items.iter().map(&id_of).collect();
                let (table, key) = if occupation {
                    ("occupation_labels", "occupation_id")
                } else {
                    ("competency_labels", "competency_id")
                };
                let mut found: std::collections::HashMap<uuid::Uuid, mycel_competency::framework::Labels> =
                    std::collections::HashMap::new();
                for chunk in ids.chunks(crate::shared_competencies::CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(format!(
                        "SELECT {key} AS owner, lang, preferred, alternatives, description FROM {table} WHERE {key} IN ("
                    ));
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    qb.push(")");
                    for row in qb.build().fetch_all(&self.pool).await? {
                        let owner: uuid::Uuid = row.try_get("owner")?;
                        found.entry(owner).or_default().insert(
                            row.try_get("lang")?,
                            crate::shared_competencies::label_from_row(
                                row.try_get("preferred")?,
                                row.try_get("alternatives")?,
                                row.try_get("description")?,
                            ),
                        );
                    }
                }
                for item in items.iter_mut() {
                    if let Some(labels) = found.remove(&id_of(item)) {
                        *labels_of(item) = labels;
                    }
                }
                Ok(())
            }

            /// Inserts label rows into `table` (`competency_labels` or `occupation_labels`, keyed by
            /// `key`).
            async fn insert_labels(
                tx: &mut sqlx::Transaction<'static, $db>,
                table: &str,
                key: &str,
                rows: &[(uuid::Uuid, crate::shared_competencies::LabelRow)],
                advance: &mut (dyn FnMut(usize) + Send),
            ) -> Result<(), sqlx::Error> {
                for chunk in rows.chunks(crate::shared_competencies::CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(format!(
                        "INSERT INTO {table} ({key}, lang, preferred, alternatives, description, search_text) "
                    ));
                    qb.push_values(chunk, |mut row, (id, (lang, preferred, alternatives, description, search))| {
                        row.push_bind(*id)
                            .push_bind(lang.clone())
                            .push_bind(preferred.clone())
                            .push_bind(alternatives.clone())
                            .push_bind(description.clone())
                            .push_bind(search.clone());
                    });
                    qb.build().execute(&mut **tx).await?;
                    advance(chunk.len());
                }
                Ok(())
            }

            /// Fails unless every competency is visible to the tenant.
            async fn ensure_competencies_visible(
                &self,
                scope: TenantScope,
                ids: &[CompetencyId],
            ) -> StoreResult<()> {
                let mut wanted: Vec<CompetencyId> = ids.to_vec();
                wanted.sort();
                wanted.dedup();
                let found = self.competencies(scope, &wanted).await?;
                if found.len() == wanted.len() {
                    Ok(())
                } else {
                    Err(StoreError::InvalidReference(
                        "a competency referred to does not exist or is not visible to this tenant".into(),
                    ))
                }
            }
        }

        #[async_trait::async_trait]
        impl mycel_store::CompetencyStore for $store {
            #[tracing::instrument(skip_all, fields(framework = %import.uri, competencies = import.competencies.len()))]
            async fn import_framework(
                &self,
                owner: Option<TenantScope>,
                import: &mycel_competency::FrameworkImport,
                progress: &(dyn Fn(mycel_store::competencies::ImportProgress) + Send + Sync),
            ) -> StoreResult<mycel_store::competencies::ImportSummary> {
                use crate::shared_competencies::{unknown_references, CHUNK};
                use mycel_store::competencies::{ImportProgress, ImportSummary};
                use std::collections::{HashMap, HashSet};
                let err = store_error("framework");
                let owner_tenant = owner.map(|s| s.tenant_id().as_uuid());
                let title = |lang: &str| {
                    mycel_competency::FrameworkImport::pick_label(&import.title, lang)
                        .map(|(label, _)| label.preferred.clone())
                        .unwrap_or_else(|| import.uri.clone())
                };
                let label_count: usize = import.competencies.iter().map(|c| c.labels.len()).sum::<usize>()
                    + import.occupations.iter().map(|o| o.labels.len()).sum::<usize>();
                let requirement_count: usize = import.occupations.iter().map(|o| o.requirements.len()).sum();
                let total = (import.competencies.len() + import.occupations.len() + import.relations.len() + label_count + requirement_count) as u64;
                let mut done = 0_u64;
                let mut advance = |rows: usize| {
                    done += rows as u64;
                    progress(ImportProgress { done, total });
                };
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let (framework_id, generation): (uuid::Uuid, i64) = sqlx::query_as(q_comp::UPSERT_FRAMEWORK)
                    .bind(uuid::Uuid::now_v7())
                    .bind(owner_tenant)
                    .bind(owner_tenant.unwrap_or(uuid::Uuid::nil()))
                    .bind(import.kind.as_str())
                    .bind(&import.uri)
                    .bind(title("en"))
                    .bind(title("de"))
                    .bind(&import.version)
                    .bind(now())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(&err)?;
                let mut summary = ImportSummary { framework_id: Some(framework_id.into()), ..Default::default() };

                // Competencies: known URIs keep their ids.
                let known: HashMap<String, uuid::Uuid> = sqlx::query_as(q_comp::COMPETENCY_IDS_BY_URI)
                    .bind(framework_id)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(&err)?
                    .into_iter()
                    .collect();
                let (competencies, ids, added, updated) =
                    crate::shared_competencies::assign_ids(&import.competencies, |c| c.uri.as_str(), &known);
                summary.competencies_added = added;
                summary.competencies_updated = updated;
                for chunk in competencies.chunks(CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO competencies (id, framework_id, uri, code, kind, category, generation, obsolete) ",
                    );
                    qb.push_values(chunk, |mut row, c| {
                        row.push_bind(ids.get(c.uri.as_str()).copied())
                            .push_bind(framework_id)
                            .push_bind(c.uri.clone())
                            .push_bind(c.code.clone())
                            .push_bind(c.kind.as_str())
                            .push_bind(c.category.clone())
                            .push_bind(generation)
                            .push_bind(false);
                    });
                    qb.push(" ON CONFLICT (framework_id, uri) DO UPDATE SET code = excluded.code, kind = excluded.kind, \
                              category = excluded.category, generation = excluded.generation, obsolete = FALSE");
                    qb.build().execute(&mut *tx).await.map_err(&err)?;
                    advance(chunk.len());
                }
                summary.competencies_obsolete = sqlx::query(q_comp::OBSOLETE_COMPETENCIES)
                    .bind(framework_id)
                    .bind(generation)
                    .execute(&mut *tx)
                    .await
                    .map_err(&err)?
                    .rows_affected();
                sqlx::query(q_comp::DELETE_IMPORTED_LABELS).bind(framework_id).bind(generation).execute(&mut *tx).await.map_err(&err)?;
                let labels = crate::shared_competencies::labelled(&competencies, &ids, |c| c.uri.as_str(), |c| &c.labels);
                Self::insert_labels(&mut tx, "competency_labels", "competency_id", &labels, &mut advance).await.map_err(&err)?;

                // Relations: sources must be in this framework; targets may be in any visible one.
                let mut foreign: HashMap<String, uuid::Uuid> = HashMap::new();
                let outside: Vec<String> = {
                    let mut uris: Vec<String> = import
                        .relations
                        .iter()
                        .map(|r| r.to.clone())
                        .filter(|uri| !ids.contains_key(uri.as_str()))
                        .collect();
                    uris.sort();
                    uris.dedup();
                    uris
                };
                for chunk in outside.chunks(CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT c.uri, c.id FROM competencies c JOIN frameworks f ON f.id = c.framework_id WHERE (f.tenant_id IS NULL OR f.tenant_id = ",
                    );
                    qb.push_bind(owner_tenant);
                    qb.push(") AND c.framework_id <> ");
                    qb.push_bind(framework_id);
                    qb.push(" AND c.uri IN (");
                    let mut list = qb.separated(", ");
                    for uri in chunk {
                        list.push_bind(uri.clone());
                    }
                    qb.push(") ORDER BY f.tenant_id IS NULL, c.id");
                    let rows: Vec<(String, uuid::Uuid)> = qb.build_query_as().fetch_all(&mut *tx).await.map_err(&err)?;
                    for (uri, id) in rows {
                        // The tenant's own framework first, then the network's.
                        foreign.entry(uri).or_insert(id);
                    }
                }
                let mut unknown: Vec<String> = Vec::new();
                let mut relations: HashSet<(uuid::Uuid, &'static str, uuid::Uuid)> = HashSet::new();
                for relation in &import.relations {
                    let from = ids.get(relation.from.as_str()).copied();
                    let to = ids.get(relation.to.as_str()).copied().or_else(|| foreign.get(&relation.to).copied());
                    match (from, to) {
                        (Some(from), Some(to)) if from != to => {
                            relations.insert((from, relation.kind.as_str(), to));
                        }
                        (Some(_), Some(_)) => {}
                        (None, _) => unknown.push(relation.from.clone()),
                        // A CASE package's links to items of other frameworks (often on other
                        // servers) are kept where Mycel knows the item, and otherwise reported.
                        (Some(_), None)
                            if import.kind == mycel_competency::FrameworkKind::Case
                                && matches!(
                                    relation.kind,
                                    mycel_competency::RelationKind::ExactMatch
                                        | mycel_competency::RelationKind::Related
                                        | mycel_competency::RelationKind::ReplacedBy
                                ) =>
                        {
                            summary.unresolved_links.push(relation.to.clone());
                        }
                        (_, None) => unknown.push(relation.to.clone()),
                    }
                }
                if !unknown.is_empty() {
                    unknown.sort();
                    unknown.dedup();
                    return Err(unknown_references("related items", &unknown));
                }
                sqlx::query(q_comp::DELETE_IMPORTED_RELATIONS).bind(framework_id).bind(generation).execute(&mut *tx).await.map_err(&err)?;
                let mut relations: Vec<_> = relations.into_iter().collect();
                relations.sort();
                for chunk in relations.chunks(CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO competency_relations (from_id, kind, to_id) ");
                    qb.push_values(chunk, |mut row, (from, kind, to)| {
                        row.push_bind(*from).push_bind(*kind).push_bind(*to);
                    });
                    qb.build().execute(&mut *tx).await.map_err(&err)?;
                    advance(chunk.len());
                }
                summary.relations = relations.len() as u64;

                // Occupations, their labels and requirements.
                let known: HashMap<String, uuid::Uuid> = sqlx::query_as(q_comp::OCCUPATION_IDS_BY_URI)
                    .bind(framework_id)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(&err)?
                    .into_iter()
                    .collect();
                let (occupations, occupation_ids, added, updated) =
                    crate::shared_competencies::assign_ids(&import.occupations, |o| o.uri.as_str(), &known);
                summary.occupations_added = added;
                summary.occupations_updated = updated;
                for chunk in occupations.chunks(CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO occupations (id, framework_id, uri, code, isco_group, generation, obsolete) ",
                    );
                    qb.push_values(chunk, |mut row, o| {
                        row.push_bind(occupation_ids.get(o.uri.as_str()).copied())
                            .push_bind(framework_id)
                            .push_bind(o.uri.clone())
                            .push_bind(o.code.clone())
                            .push_bind(o.isco_group.clone())
                            .push_bind(generation)
                            .push_bind(false);
                    });
                    qb.push(" ON CONFLICT (framework_id, uri) DO UPDATE SET code = excluded.code, isco_group = excluded.isco_group, \
                              generation = excluded.generation, obsolete = FALSE");
                    qb.build().execute(&mut *tx).await.map_err(&err)?;
                    advance(chunk.len());
                }
                summary.occupations_obsolete = sqlx::query(q_comp::OBSOLETE_OCCUPATIONS)
                    .bind(framework_id)
                    .bind(generation)
                    .execute(&mut *tx)
                    .await
                    .map_err(&err)?
                    .rows_affected();
                sqlx::query(q_comp::DELETE_IMPORTED_OCCUPATION_LABELS).bind(framework_id).bind(generation).execute(&mut *tx).await.map_err(&err)?;
                let labels = crate::shared_competencies::labelled(&occupations, &occupation_ids, |o| o.uri.as_str(), |o| &o.labels);
                Self::insert_labels(&mut tx, "occupation_labels", "occupation_id", &labels, &mut advance).await.map_err(&err)?;
                let mut requirements: HashMap<(uuid::Uuid, uuid::Uuid), &'static str> = HashMap::new();
                let mut unknown: Vec<String> = Vec::new();
                for occupation in &occupations {
                    let occupation_id = occupation_ids.get(occupation.uri.as_str()).copied().unwrap_or_default();
                    for requirement in &occupation.requirements {
                        match ids.get(requirement.competency_uri.as_str()) {
                            Some(competency_id) => {
                                // Required wins over desired if a file names both.
                                let kind = requirements.entry((occupation_id, *competency_id)).or_insert(requirement.kind.as_str());
                                if requirement.kind == mycel_competency::RequirementKind::Required {
                                    *kind = requirement.kind.as_str();
                                }
                            }
                            None => unknown.push(requirement.competency_uri.clone()),
                        }
                    }
                }
                if !unknown.is_empty() {
                    unknown.sort();
                    unknown.dedup();
                    return Err(unknown_references("competencies needed by occupations", &unknown));
                }
                sqlx::query(q_comp::DELETE_IMPORTED_REQUIREMENTS).bind(framework_id).bind(generation).execute(&mut *tx).await.map_err(&err)?;
                let mut requirements: Vec<_> = requirements.into_iter().collect();
                requirements.sort();
                for chunk in requirements.chunks(CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO occupation_competencies (occupation_id, competency_id, kind) ");
                    qb.push_values(chunk, |mut row, ((occupation, competency), kind)| {
                        row.push_bind(*occupation).push_bind(*competency).push_bind(*kind);
                    });
                    qb.build().execute(&mut *tx).await.map_err(&err)?;
                    advance(chunk.len());
                }
                summary.occupation_requirements = requirements.len() as u64;
                tx.commit().await.map_err(&err)?;
                Ok(summary)
            }

            async fn frameworks(&self, scope: TenantScope) -> StoreResult<Vec<mycel_store::competencies::Framework>> {
                let err = store_error("framework");
                sqlx::query(q_comp::FRAMEWORKS)
                    .bind(scope.tenant_id().as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(&err)?
                    .iter()
                    .map(|row| competency_rows::framework(row).map_err(&err))
                    .collect()
            }

            async fn framework(&self, scope: TenantScope, id: FrameworkId) -> StoreResult<mycel_store::competencies::Framework> {
                let err = store_error("framework");
                let row = sqlx::query(q_comp::FRAMEWORK)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(id.as_uuid())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(&err)?;
                competency_rows::framework(&row).map_err(&err)
            }

            async fn competencies(&self, scope: TenantScope, ids: &[CompetencyId]) -> StoreResult<Vec<mycel_store::competencies::CompetencyRecord>> {
                let err = store_error("competency");
                let mut found = Vec::with_capacity(ids.len());
                for chunk in ids.chunks(crate::shared_competencies::CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT ");
                    qb.push(q_comp::COMPETENCY_COLUMNS);
                    qb.push(" FROM competencies c JOIN frameworks f ON f.id = c.framework_id WHERE (f.tenant_id IS NULL OR f.tenant_id = ");
                    qb.push_bind(scope.tenant_id().as_uuid());
                    qb.push(") AND c.id IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(id.as_uuid());
                    }
                    qb.push(")");
                    for row in qb.build().fetch_all(&self.pool).await.map_err(&err)? {
                        found.push(competency_rows::competency(&row).map_err(&err)?);
                    }
                }
                self.attach_labels(&mut found, false, |c| c.id.as_uuid(), |c| &mut c.labels).await.map_err(&err)?;
                Ok(found)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn framework_competencies(
                &self,
                scope: TenantScope,
                framework: FrameworkId,
                after: Option<CompetencyId>,
                limit: u32,
            ) -> StoreResult<Vec<mycel_store::competencies::CompetencyRecord>> {
                let err = store_error("competency");
                let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT ");
                qb.push(q_comp::COMPETENCY_COLUMNS);
                qb.push(" FROM competencies c JOIN frameworks f ON f.id = c.framework_id WHERE (f.tenant_id IS NULL OR f.tenant_id = ");
                qb.push_bind(scope.tenant_id().as_uuid());
                qb.push(") AND NOT c.obsolete AND c.framework_id = ");
                qb.push_bind(framework.as_uuid());
                if let Some(after) = after {
                    qb.push(" AND c.id > ");
                    qb.push_bind(after.as_uuid());
                }
                qb.push(" ORDER BY c.id LIMIT ");
                qb.push_bind(i64::from(limit.clamp(1, 10_000)));
                let mut found = Vec::new();
                for row in qb.build().fetch_all(&self.pool).await.map_err(&err)? {
                    found.push(competency_rows::competency(&row).map_err(&err)?);
                }
                self.attach_labels(&mut found, false, |c| c.id.as_uuid(), |c| &mut c.labels).await.map_err(&err)?;
                Ok(found)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn search_competencies(
                &self,
                scope: TenantScope,
                search: &mycel_store::competencies::CompetencySearch,
            ) -> StoreResult<Vec<mycel_store::competencies::CompetencyRecord>> {
                let err = store_error("competency");
                let patterns = search.text.as_deref().map(crate::shared_competencies::like_patterns).unwrap_or_default();
                let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT ");
                qb.push(q_comp::COMPETENCY_COLUMNS);
                qb.push(" FROM competencies c JOIN frameworks f ON f.id = c.framework_id WHERE (f.tenant_id IS NULL OR f.tenant_id = ");
                qb.push_bind(scope.tenant_id().as_uuid());
                qb.push(")");
                if let Some(framework) = search.framework_id {
                    qb.push(" AND c.framework_id = ");
                    qb.push_bind(framework.as_uuid());
                }
                if !search.include_obsolete {
                    qb.push(" AND NOT c.obsolete");
                }
                if !patterns.is_empty() {
                    qb.push(" AND EXISTS (SELECT 1 FROM competency_labels l WHERE l.competency_id = c.id");
                    for pattern in &patterns {
                        qb.push(" AND l.search_text LIKE ");
                        qb.push_bind(pattern.clone());
                        qb.push(" ESCAPE '\\'");
                    }
                    qb.push(")");
                } else if let Some(broader) = search.broader {
                    qb.push(" AND EXISTS (SELECT 1 FROM competency_relations r WHERE r.from_id = c.id AND r.kind = 'broader' AND r.to_id = ");
                    qb.push_bind(broader.as_uuid());
                    qb.push(")");
                } else {
                    qb.push(" AND NOT EXISTS (SELECT 1 FROM competency_relations r JOIN competencies p ON p.id = r.to_id \
                              WHERE r.from_id = c.id AND r.kind = 'broader' AND p.framework_id = c.framework_id)");
                }
                // Shorter labels first for a search (the closest matches), alphabetical otherwise.
                qb.push(" ORDER BY (SELECT ");
                qb.push(if patterns.is_empty() { "MIN(l.preferred)" } else { "MIN(LENGTH(l.preferred))" });
                qb.push(" FROM competency_labels l WHERE l.competency_id = c.id), c.id LIMIT ");
                qb.push_bind(i64::from(search.limit));
                let mut found = Vec::new();
                for row in qb.build().fetch_all(&self.pool).await.map_err(&err)? {
                    found.push(competency_rows::competency(&row).map_err(&err)?);
                }
                self.attach_labels(&mut found, false, |c| c.id.as_uuid(), |c| &mut c.labels).await.map_err(&err)?;
                Ok(found)
            }

            async fn competency_relations(
                &self,
                scope: TenantScope,
                id: CompetencyId,
                limit: u32,
            ) -> StoreResult<Vec<mycel_store::competencies::CompetencyRelation>> {
                let err = store_error("competency");
                if self.competencies(scope, &[id]).await?.is_empty() {
                    return Err(StoreError::NotFound("competency"));
                }
                let rows: Vec<(String, bool, uuid::Uuid)> = sqlx::query_as(q_comp::RELATIONS_OF)
                    .bind(id.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(&err)?;
                let mut per_group: std::collections::HashMap<(String, bool), u32> = Default::default();
                let mut wanted = Vec::new();
                for (kind, outgoing, other) in rows {
                    let count = per_group.entry((kind.clone(), outgoing)).or_default();
                    if *count < limit {
                        *count += 1;
                        wanted.push((kind, outgoing, CompetencyId::from(other)));
                    }
                }
                let others: std::collections::HashMap<CompetencyId, mycel_store::competencies::CompetencyRecord> = self
                    .competencies(scope, &wanted.iter().map(|(_, _, other)| *other).collect::<Vec<_>>())
                    .await?
                    .into_iter()
                    .map(|c| (c.id, c))
                    .collect();
                let mut relations = Vec::new();
                for (kind, outgoing, other) in wanted {
                    let kind = mycel_competency::RelationKind::parse(&kind)
                        .ok_or_else(|| err(crate::shared::corrupt("relation kind", &kind)))?;
                    // Relations to items of frameworks this tenant cannot see are left out.
                    if let Some(other) = others.get(&other) {
                        relations.push(mycel_store::competencies::CompetencyRelation { kind, outgoing, other: other.clone() });
                    }
                }
                Ok(relations)
            }

            async fn search_occupations(
                &self,
                scope: TenantScope,
                text: &str,
                limit: u32,
            ) -> StoreResult<Vec<mycel_store::competencies::OccupationRecord>> {
                let err = store_error("occupation");
                let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT ");
                qb.push(q_comp::OCCUPATION_COLUMNS);
                qb.push(" FROM occupations o JOIN frameworks f ON f.id = o.framework_id WHERE (f.tenant_id IS NULL OR f.tenant_id = ");
                qb.push_bind(scope.tenant_id().as_uuid());
                qb.push(") AND NOT o.obsolete");
                let patterns = crate::shared_competencies::like_patterns(text);
                if !patterns.is_empty() {
                    qb.push(" AND EXISTS (SELECT 1 FROM occupation_labels l WHERE l.occupation_id = o.id");
                    for pattern in &patterns {
                        qb.push(" AND l.search_text LIKE ");
                        qb.push_bind(pattern.clone());
                        qb.push(" ESCAPE '\\'");
                    }
                    qb.push(")");
                }
                qb.push(" ORDER BY (SELECT MIN(LENGTH(l.preferred)) FROM occupation_labels l WHERE l.occupation_id = o.id), o.id LIMIT ");
                qb.push_bind(i64::from(limit));
                let mut found = Vec::new();
                for row in qb.build().fetch_all(&self.pool).await.map_err(&err)? {
                    found.push(competency_rows::occupation(&row).map_err(&err)?);
                }
                self.attach_labels(&mut found, true, |o| o.id.as_uuid(), |o| &mut o.labels).await.map_err(&err)?;
                Ok(found)
            }

            async fn occupation(&self, scope: TenantScope, id: OccupationId) -> StoreResult<mycel_store::competencies::OccupationRecord> {
                let err = store_error("occupation");
                let row = sqlx::query(q_comp::OCCUPATION)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(id.as_uuid())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(&err)?;
                let mut found = vec![competency_rows::occupation(&row).map_err(&err)?];
                self.attach_labels(&mut found, true, |o| o.id.as_uuid(), |o| &mut o.labels).await.map_err(&err)?;
                found.pop().ok_or(StoreError::NotFound("occupation"))
            }

            async fn occupation_requirements(
                &self,
                scope: TenantScope,
                id: OccupationId,
            ) -> StoreResult<Vec<(CompetencyId, mycel_competency::RequirementKind)>> {
                let err = store_error("occupation");
                self.occupation(scope, id).await?;
                let rows: Vec<(uuid::Uuid, String)> = sqlx::query_as(q_comp::OCCUPATION_REQUIREMENTS)
                    .bind(id.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(&err)?;
                rows.into_iter()
                    .map(|(competency, kind)| Ok((competency.into(), competency_rows::requirement_kind(&kind).map_err(&err)?)))
                    .collect()
            }

            async fn occupations_needing(
                &self,
                scope: TenantScope,
                competency: CompetencyId,
                limit: u32,
            ) -> StoreResult<Vec<(mycel_store::competencies::OccupationRecord, mycel_competency::RequirementKind)>> {
                let err = store_error("occupation");
                let rows: Vec<(uuid::Uuid, String)> = sqlx::query_as(q_comp::OCCUPATIONS_NEEDING)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(competency.as_uuid())
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(&err)?;
                let mut found = Vec::with_capacity(rows.len());
                for (occupation, kind) in rows {
                    found.push((self.occupation(scope, occupation.into()).await?, competency_rows::requirement_kind(&kind).map_err(&err)?));
                }
                Ok(found)
            }

            async fn create_scale(&self, scope: TenantScope, scale: mycel_store::competencies::ScaleRecord) -> StoreResult<()> {
                sqlx::query(q_comp::INSERT_SCALE)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(scale.id.as_uuid())
                    .bind(scale.name_en)
                    .bind(scale.name_de)
                    .bind(scale.levels_json)
                    .execute(&self.pool)
                    .await
                    .map_err(store_error("proficiency scale"))?;
                Ok(())
            }

            async fn scales(&self, scope: TenantScope) -> StoreResult<Vec<mycel_store::competencies::ScaleRecord>> {
                let rows: Vec<(uuid::Uuid, String, String, String)> = sqlx::query_as(q_comp::SCALES)
                    .bind(scope.tenant_id().as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error("proficiency scale"))?;
                Ok(rows
                    .into_iter()
                    .map(|(id, name_en, name_de, levels_json)| mycel_store::competencies::ScaleRecord { id: id.into(), name_en, name_de, levels_json })
                    .collect())
            }

            async fn role_requirements(&self, scope: TenantScope, role: RoleId) -> StoreResult<Vec<mycel_store::competencies::RoleRequirement>> {
                let err = store_error("role");
                sqlx::query(q_comp::ROLE_EXISTS)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(role.as_uuid())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(&err)?;
                sqlx::query(q_comp::ROLE_REQUIREMENTS)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(role.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(&err)?
                    .iter()
                    .map(|row| competency_rows::role_requirement(row).map_err(&err))
                    .collect()
            }

            async fn set_role_requirements(
                &self,
                scope: TenantScope,
                role: RoleId,
                requirements: &[mycel_store::competencies::RoleRequirement],
            ) -> StoreResult<()> {
                let err = store_error("role profile");
                let tenant = scope.tenant_id().as_uuid();
                self.ensure_competencies_visible(scope, &requirements.iter().map(|r| r.competency_id).collect::<Vec<_>>()).await?;
                let mut unique: std::collections::BTreeMap<CompetencyId, &mycel_store::competencies::RoleRequirement> = Default::default();
                for requirement in requirements {
                    unique.insert(requirement.competency_id, requirement);
                }
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                sqlx::query(q_comp::ROLE_EXISTS)
                    .bind(tenant)
                    .bind(role.as_uuid())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_error("role"))?;
                sqlx::query(q_comp::DELETE_ROLE_REQUIREMENTS).bind(tenant).bind(role.as_uuid()).execute(&mut *tx).await.map_err(&err)?;
                let rows: Vec<_> = unique.into_values().collect();
                for chunk in rows.chunks(crate::shared_competencies::CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO role_requirements (tenant_id, role_id, competency_id, kind, target_level) ");
                    qb.push_values(chunk, |mut row, r| {
                        row.push_bind(tenant)
                            .push_bind(role.as_uuid())
                            .push_bind(r.competency_id.as_uuid())
                            .push_bind(r.kind.as_str())
                            .push_bind(r.target.value());
                    });
                    qb.build().execute(&mut *tx).await.map_err(&err)?;
                }
                tx.commit().await.map_err(&err)?;
                Ok(())
            }

            async fn roles_requiring(
                &self,
                scope: TenantScope,
                competency: CompetencyId,
            ) -> StoreResult<Vec<(RoleId, mycel_store::competencies::RoleRequirement)>> {
                use sqlx::Row;
                let err = store_error("role profile");
                sqlx::query(q_comp::ROLES_REQUIRING)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(competency.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(&err)?
                    .iter()
                    .map(|row| {
                        let role: uuid::Uuid = row.try_get("role_id").map_err(&err)?;
                        Ok((role.into(), competency_rows::role_requirement(row).map_err(&err)?))
                    })
                    .collect()
            }

            async fn person_role_targets(
                &self,
                scope: TenantScope,
                person: PersonId,
            ) -> StoreResult<Vec<mycel_store::competencies::PersonRoleTarget>> {
                use sqlx::Row;
                let err = store_error("role profile");
                sqlx::query(q_comp::PERSON_ROLE_TARGETS)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(person.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(&err)?
                    .iter()
                    .map(|row| {
                        let role: uuid::Uuid = row.try_get("role_id").map_err(&err)?;
                        let assignment: String = row.try_get("assignment").map_err(&err)?;
                        Ok(mycel_store::competencies::PersonRoleTarget {
                            role_id: role.into(),
                            assignment: assignment_kind(&assignment).map_err(&err)?,
                            requirement: competency_rows::role_requirement(row).map_err(&err)?,
                        })
                    })
                    .collect()
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), evidence = evidence.len()))]
            async fn add_evidence(&self, scope: TenantScope, evidence: &[mycel_competency::Evidence]) -> StoreResult<u64> {
                let err = store_error("evidence");
                let tenant = scope.tenant_id().as_uuid();
                self.ensure_competencies_visible(scope, &evidence.iter().map(|e| e.competency_id).collect::<Vec<_>>()).await?;
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let mut added = 0;
                for chunk in evidence.chunks(crate::shared_competencies::CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO evidence (tenant_id, id, person_id, competency_id, kind, level, observed_at, author_id, source, link, note, recorded_at) ",
                    );
                    qb.push_values(chunk, |mut row, e| {
                        row.push_bind(tenant)
                            .push_bind(e.id.as_uuid())
                            .push_bind(e.person_id.as_uuid())
                            .push_bind(e.competency_id.as_uuid())
                            .push_bind(e.kind.as_str())
                            .push_bind(e.level.value())
                            .push_bind(e.observed_at)
                            .push_bind(e.author_id.map(|a| a.as_uuid()))
                            .push_bind(e.source.clone())
                            .push_bind(e.link.clone())
                            .push_bind(e.note.clone())
                            .push_bind(e.recorded_at);
                    });
                    qb.push(" ON CONFLICT (tenant_id, person_id, competency_id, link) WHERE kind = 'statement' DO NOTHING");
                    added += qb.build().execute(&mut *tx).await.map_err(&err)?.rows_affected();
                }
                tx.commit().await.map_err(&err)?;
                Ok(added)
            }

            async fn evidence(
                &self,
                scope: TenantScope,
                person: PersonId,
                competency: Option<CompetencyId>,
            ) -> StoreResult<Vec<mycel_competency::Evidence>> {
                let err = store_error("evidence");
                let query = match competency {
                    Some(competency) => sqlx::query(q_comp::EVIDENCE_OF_COMPETENCY)
                        .bind(scope.tenant_id().as_uuid())
                        .bind(person.as_uuid())
                        .bind(competency.as_uuid()),
                    None => sqlx::query(q_comp::EVIDENCE_OF_PERSON).bind(scope.tenant_id().as_uuid()).bind(person.as_uuid()),
                };
                query
                    .fetch_all(&self.pool)
                    .await
                    .map_err(&err)?
                    .iter()
                    .map(|row| competency_rows::evidence(row).map_err(&err))
                    .collect()
            }

            async fn evidence_item(&self, scope: TenantScope, id: EvidenceId) -> StoreResult<mycel_competency::Evidence> {
                let err = store_error("evidence");
                let row = sqlx::query(q_comp::EVIDENCE_ITEM)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(id.as_uuid())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(&err)?;
                competency_rows::evidence(&row).map_err(&err)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), estimates = estimates.len()))]
            async fn put_estimates(&self, scope: TenantScope, estimates: &[mycel_store::competencies::EstimateRecord]) -> StoreResult<()> {
                let err = store_error("competency estimate");
                let tenant = scope.tenant_id().as_uuid();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                for chunk in estimates.chunks(crate::shared_competencies::CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO competency_estimates (tenant_id, person_id, competency_id, level, confidence, evidence_count, computed_at) ",
                    );
                    qb.push_values(chunk, |mut row, e| {
                        row.push_bind(tenant)
                            .push_bind(e.person_id.as_uuid())
                            .push_bind(e.competency_id.as_uuid())
                            .push_bind(e.level.value())
                            .push_bind(e.confidence)
                            .push_bind(i32::try_from(e.evidence_count).unwrap_or(i32::MAX))
                            .push_bind(e.computed_at);
                    });
                    qb.push(" ON CONFLICT (tenant_id, person_id, competency_id) DO UPDATE SET level = excluded.level, \
                              confidence = excluded.confidence, evidence_count = excluded.evidence_count, computed_at = excluded.computed_at");
                    qb.build().execute(&mut *tx).await.map_err(&err)?;
                }
                tx.commit().await.map_err(&err)?;
                Ok(())
            }

            async fn estimates(&self, scope: TenantScope, person: PersonId) -> StoreResult<Vec<mycel_store::competencies::EstimateRecord>> {
                let err = store_error("competency estimate");
                sqlx::query(q_comp::ESTIMATES)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(person.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(&err)?
                    .iter()
                    .map(|row| competency_rows::estimate(row).map_err(&err))
                    .collect()
            }

            async fn evidence_pairs(
                &self,
                scope: TenantScope,
                after: Option<(PersonId, CompetencyId)>,
                limit: u32,
            ) -> StoreResult<Vec<(PersonId, CompetencyId)>> {
                let (person, competency) = after
                    .map(|(p, c)| (p.as_uuid(), c.as_uuid()))
                    .unwrap_or((uuid::Uuid::nil(), uuid::Uuid::nil()));
                let rows: Vec<(uuid::Uuid, uuid::Uuid)> = sqlx::query_as(q_comp::EVIDENCE_PAIRS)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(person)
                    .bind(competency)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error("evidence"))?;
                Ok(rows.into_iter().map(|(p, c)| (p.into(), c.into())).collect())
            }

            async fn create_learning_goal(&self, scope: TenantScope, goal: mycel_store::competencies::LearningGoal) -> StoreResult<()> {
                self.ensure_competencies_visible(scope, &[goal.competency_id]).await?;
                sqlx::query(q_comp::INSERT_GOAL)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(goal.id.as_uuid())
                    .bind(goal.person_id.as_uuid())
                    .bind(goal.competency_id.as_uuid())
                    .bind(goal.target.value())
                    .bind(goal.due)
                    .bind(goal.created_at)
                    .execute(&self.pool)
                    .await
                    .map_err(store_error("learning goal"))?;
                Ok(())
            }

            async fn learning_goals(&self, scope: TenantScope, person: PersonId) -> StoreResult<Vec<mycel_store::competencies::LearningGoal>> {
                let err = store_error("learning goal");
                sqlx::query(q_comp::GOALS)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(person.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(&err)?
                    .iter()
                    .map(|row| competency_rows::goal(row).map_err(&err))
                    .collect()
            }

            async fn delete_learning_goal(&self, scope: TenantScope, person: PersonId, id: LearningGoalId) -> StoreResult<()> {
                let deleted = sqlx::query(q_comp::DELETE_GOAL)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(person.as_uuid())
                    .bind(id.as_uuid())
                    .execute(&self.pool)
                    .await
                    .map_err(store_error("learning goal"))?
                    .rows_affected();
                if deleted == 0 {
                    return Err(StoreError::NotFound("learning goal"));
                }
                Ok(())
            }

            async fn set_profile_shared(&self, scope: TenantScope, person: PersonId, shared: bool) -> StoreResult<()> {
                let err = store_error("person");
                sqlx::query(q_comp::PERSON_EXISTS)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(person.as_uuid())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(&err)?;
                let query = if shared {
                    sqlx::query(q_comp::SHARE_PROFILE).bind(scope.tenant_id().as_uuid()).bind(person.as_uuid()).bind(now())
                } else {
                    sqlx::query(q_comp::UNSHARE_PROFILE).bind(scope.tenant_id().as_uuid()).bind(person.as_uuid())
                };
                query.execute(&self.pool).await.map_err(&err)?;
                Ok(())
            }

            async fn profile_shared(&self, scope: TenantScope, person: PersonId) -> StoreResult<bool> {
                Ok(sqlx::query(q_comp::PROFILE_SHARED)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(person.as_uuid())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(store_error("person"))?
                    .is_some())
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn group_competencies(
                &self,
                scope: TenantScope,
                group: mycel_store::competencies::PeopleGroup,
                after: Option<PersonId>,
                limit: u32,
            ) -> StoreResult<Vec<mycel_store::competencies::PersonCompetencies>> {
                use mycel_store::competencies::PeopleGroup;
                use std::collections::HashMap;
                let err = store_error("competency profile");
                let tenant = scope.tenant_id().as_uuid();
                let after = after.map(|p| p.as_uuid()).unwrap_or(uuid::Uuid::nil());
                let people: Vec<uuid::Uuid> = match group {
                    PeopleGroup::ReportsOf(manager) => sqlx::query_scalar(q_comp::GROUP_PAGE_OF_MANAGER)
                        .bind(tenant)
                        .bind(after)
                        .bind(i64::from(limit))
                        .bind(manager.as_uuid())
                        .fetch_all(&self.pool)
                        .await,
                    PeopleGroup::OrgUnit(unit) => sqlx::query_scalar(q_comp::GROUP_PAGE_IN_SUBTREE)
                        .bind(tenant)
                        .bind(after)
                        .bind(i64::from(limit))
                        .bind(unit.as_uuid())
                        .fetch_all(&self.pool)
                        .await,
                    PeopleGroup::Tenant => sqlx::query_scalar(q_comp::GROUP_PAGE).bind(tenant).bind(after).bind(i64::from(limit)).fetch_all(&self.pool).await,
                }
                .map_err(&err)?;
                let mut page: HashMap<uuid::Uuid, mycel_store::competencies::PersonCompetencies> = people
                    .iter()
                    .map(|id| {
                        (*id, mycel_store::competencies::PersonCompetencies { person_id: (*id).into(), shared: false, targets: Vec::new(), estimates: Vec::new() })
                    })
                    .collect();
                // Role profiles are read once per role and call, not once per person holding the role:
                // at 400,000 people with 50 targets each, joining them per person made this read
                // twice as many rows as there are estimates.
                let mut profiles: HashMap<uuid::Uuid, Vec<(CompetencyId, mycel_competency::scale::Level)>> = HashMap::new();
                // A page of the whole tenant is everyone between its first and last id. PostgreSQL
                // reads it as one key range per chunk: with a list of ids and no statistics yet (a
                // fresh bulk load) it scans the tenant's whole index and filters by the list, and
                // with statistics it still estimates the list high enough to JIT-compile every
                // query. SQLite plans either well, but the same rows come through sqlx's SQLite
                // worker about 1.5 times slower from a range scan than from a list (more hand-offs
                // between its thread and ours; measured, see docs/performance.md), so it keeps the
                // list. Other groups always name their people.
                let by_range = matches!(group, PeopleGroup::Tenant) && <$db as sqlx::Database>::NAME == "PostgreSQL";
                // Strategic goals of org units reach everyone below them; most companies have few
                // or none, so their query is left out when there are none.
                let strategic = !people.is_empty()
                    && sqlx::query(crate::shared_strategic_goals::ANY_GOAL)
                        .bind(tenant)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(&err)?
                        .is_some();
                for chunk in people.chunks(crate::shared_competencies::CHUNK) {
                    let in_list = |qb: &mut sqlx::QueryBuilder<'_, $db>, column: &str| {
                        match (by_range, chunk.first(), chunk.last()) {
                            (true, Some(first), Some(last)) => {
                                qb.push(format!(" AND {column} >= "));
                                qb.push_bind(*first);
                                qb.push(format!(" AND {column} <= "));
                                qb.push_bind(*last);
                            }
                            _ => {
                                qb.push(format!(" AND {column} IN ("));
                                let mut list = qb.separated(", ");
                                for id in chunk {
                                    list.push_bind(*id);
                                }
                                qb.push(")");
                            }
                        }
                    };
                    // The current roles of these people, and the profiles of roles not read yet. The
                    // kind is checked here, not in SQL, so that it cannot become the index condition.
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT person_id, role_id, kind FROM role_assignments WHERE tenant_id = ");
                    qb.push_bind(tenant);
                    in_list(&mut qb, "person_id");
                    let held: Vec<(uuid::Uuid, uuid::Uuid)> = qb
                        .build_query_as::<(uuid::Uuid, uuid::Uuid, String)>()
                        .fetch_all(&self.pool)
                        .await
                        .map_err(&err)?
                        .into_iter()
                        .filter(|(_, _, kind)| kind == RoleAssignmentKind::Current.as_str())
                        .map(|(person, role, _)| (person, role))
                        .collect();
                    let mut unread: Vec<uuid::Uuid> = held.iter().map(|(_, role)| *role).filter(|role| !profiles.contains_key(role)).collect();
                    unread.sort();
                    unread.dedup();
                    for roles in unread.chunks(crate::shared_competencies::CHUNK) {
                        let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT role_id, competency_id, target_level FROM role_requirements WHERE tenant_id = ");
                        qb.push_bind(tenant);
                        qb.push(" AND role_id IN (");
                        let mut list = qb.separated(", ");
                        for role in roles {
                            list.push_bind(*role);
                            profiles.entry(*role).or_default();
                        }
                        qb.push(") ORDER BY role_id, competency_id");
                        let rows: Vec<(uuid::Uuid, uuid::Uuid, f64)> = qb.build_query_as().fetch_all(&self.pool).await.map_err(&err)?;
                        for (role, competency, target) in rows {
                            let target = crate::shared_competencies::level(target).map_err(&err)?;
                            profiles.entry(role).or_default().push((competency.into(), target));
                        }
                    }
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT person_id, competency_id, target_level FROM learning_goals WHERE tenant_id = ");
                    qb.push_bind(tenant);
                    in_list(&mut qb, "person_id");
                    let goals: Vec<(uuid::Uuid, uuid::Uuid, f64)> = qb.build_query_as().fetch_all(&self.pool).await.map_err(&err)?;
                    // Each person's targets: the highest, if two roles or a goal name the same competency.
                    let merge = |entry: &mut mycel_store::competencies::PersonCompetencies, competency: CompetencyId, target: mycel_competency::scale::Level| {
                        match entry.targets.iter_mut().find(|(c, _)| *c == competency) {
                            Some((_, known)) if target > *known => *known = target,
                            Some(_) => {}
                            None => entry.targets.push((competency, target)),
                        }
                    };
                    for (person, role) in held {
                        if let (Some(entry), Some(profile)) = (page.get_mut(&person), profiles.get(&role)) {
                            if entry.targets.is_empty() {
                                entry.targets.extend_from_slice(profile);
                            } else {
                                for (competency, target) in profile {
                                    merge(entry, *competency, *target);
                                }
                            }
                        }
                    }
                    for (person, competency, target) in goals {
                        if let Some(entry) = page.get_mut(&person) {
                            merge(entry, competency.into(), crate::shared_competencies::level(target).map_err(&err)?);
                        }
                    }
                    if strategic {
                        // The goals of each person's unit and its ancestors, in one query per chunk.
                        let mut qb = sqlx::QueryBuilder::<$db>::new(crate::shared_strategic_goals::PEOPLE_UNITS_UP);
                        qb.push_bind(tenant);
                        in_list(&mut qb, "id");
                        qb.push(crate::shared_strategic_goals::UNITS_UP_STEP);
                        qb.push_bind(tenant);
                        qb.push(crate::shared_strategic_goals::UNITS_UP_GOALS);
                        qb.push_bind(tenant);
                        let targets: Vec<(uuid::Uuid, uuid::Uuid, f64)> = qb.build_query_as().fetch_all(&self.pool).await.map_err(&err)?;
                        for (person, competency, target) in targets {
                            if let Some(entry) = page.get_mut(&person) {
                                merge(entry, competency.into(), crate::shared_competencies::level(target).map_err(&err)?);
                            }
                        }
                    }
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT person_id, competency_id, level, confidence FROM competency_estimates WHERE tenant_id = ",
                    );
                    qb.push_bind(tenant);
                    in_list(&mut qb, "person_id");
                    let rows: Vec<(uuid::Uuid, uuid::Uuid, f64, f64)> = qb.build_query_as().fetch_all(&self.pool).await.map_err(&err)?;
                    for (person, competency, estimate, confidence) in rows {
                        if let Some(entry) = page.get_mut(&person) {
                            entry.estimates.push((competency.into(), crate::shared_competencies::level(estimate).map_err(&err)?, confidence));
                        }
                    }
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT person_id FROM competency_profile_sharing WHERE tenant_id = ");
                    qb.push_bind(tenant);
                    in_list(&mut qb, "person_id");
                    let rows: Vec<uuid::Uuid> = qb.build_query_scalar().fetch_all(&self.pool).await.map_err(&err)?;
                    for person in rows {
                        if let Some(entry) = page.get_mut(&person) {
                            entry.shared = true;
                        }
                    }
                }
                for entry in page.values_mut() {
                    entry.targets.sort_by_key(|(competency, _)| *competency);
                }
                Ok(people.iter().filter_map(|id| page.remove(id)).collect())
            }

            async fn align_activity(&self, scope: TenantScope, activity_id: &str, competency: CompetencyId, level: mycel_competency::scale::Level) -> StoreResult<()> {
                self.ensure_competencies_visible(scope, &[competency]).await?;
                sqlx::query(q_comp::ALIGN_ACTIVITY)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(activity_id)
                    .bind(competency.as_uuid())
                    .bind(level.value())
                    .execute(&self.pool)
                    .await
                    .map_err(store_error("activity alignment"))?;
                Ok(())
            }

            async fn activity_alignments(
                &self,
                scope: TenantScope,
                activity_ids: &[String],
            ) -> StoreResult<Vec<(String, CompetencyId, mycel_competency::scale::Level)>> {
                let err = store_error("activity alignment");
                let mut found = Vec::new();
                for chunk in activity_ids.chunks(crate::shared_competencies::CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT activity_id, competency_id, level FROM activity_alignments WHERE tenant_id = ");
                    qb.push_bind(scope.tenant_id().as_uuid());
                    qb.push(" AND activity_id IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(id.clone());
                    }
                    qb.push(")");
                    let rows: Vec<(String, uuid::Uuid, f64)> = qb.build_query_as().fetch_all(&self.pool).await.map_err(&err)?;
                    for (activity, competency, level) in rows {
                        found.push((activity, competency.into(), crate::shared_competencies::level(level).map_err(&err)?));
                    }
                }
                Ok(found)
            }

            async fn feed_cursor(&self, scope: TenantScope, consumer: &str) -> StoreResult<i64> {
                Ok(sqlx::query_scalar(q_comp::FEED_CURSOR)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(consumer)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(store_error("feed cursor"))?
                    .unwrap_or(0))
            }

            async fn set_feed_cursor(&self, scope: TenantScope, consumer: &str, seq: i64) -> StoreResult<()> {
                sqlx::query(q_comp::SET_FEED_CURSOR)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(consumer)
                    .bind(seq)
                    .execute(&self.pool)
                    .await
                    .map_err(store_error("feed cursor"))?;
                Ok(())
            }
        }
    };
}

pub(crate) use competency_store;

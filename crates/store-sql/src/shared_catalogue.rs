//! The catalogue's store, written once and expanded for both pools by [`catalogue_store!`] (see
//! `shared.rs` for why).

use mycel_catalogue::{
    Alignment, AudienceEntry, Cost, Lifecycle, Modality, OpportunityDraft, Prerequisite,
};
use mycel_competency::scale::{Level, LocalizedText};
use mycel_organisation::{OpportunityId, TenantId};
use mycel_store::catalogue::OpportunityRecord;
use std::collections::HashMap;

use crate::shared::corrupt;

pub(crate) const OPPORTUNITY_COLUMNS: &str = "o.tenant_id, o.id, o.modality, o.lifecycle, \
     o.title_de, o.title_en, o.description_de, o.description_en, o.content_language, \
     o.duration_minutes, o.provider_id, o.cost_cents, o.cost_currency, o.recertify_months, \
     o.link, o.package_id, o.created_at, o.updated_at, o.revision";

/// Who may read an opportunity: its own company ($1), or — once published — anyone it is
/// offered to by network or by company.
pub(crate) const VISIBLE_OPPORTUNITY: &str = "(o.tenant_id = $1 OR (o.lifecycle <> 'draft' \
     AND EXISTS (SELECT 1 FROM opportunity_audience a WHERE a.tenant_id = o.tenant_id \
     AND a.opportunity_id = o.id AND (a.kind = 'network' OR (a.kind = 'company' AND a.target = $1)))))";

pub(crate) const PACKAGE_COLUMNS: &str = "tenant_id, id, kind, title, sha256, file_count, \
     total_bytes, structure, launch_path, uploaded_by, uploaded_at";

pub(crate) const PROVIDER_COLUMNS: &str =
    "tenant_id, id, name, website, contact_email, terms, updated_at";

pub(crate) const NEXT_REVISION: &str =
    "UPDATE catalogue_revision SET revision = revision + 1 WHERE id = 1 RETURNING revision";

/// The tenant's graph of opportunity dependencies: prerequisites and program parts.
pub(crate) const DEPENDENCY_EDGES: &str = "SELECT opportunity_id, required_opportunity_id \
     FROM opportunity_prerequisites WHERE tenant_id = $1 AND required_opportunity_id IS NOT NULL \
     UNION ALL SELECT program_id, part_id FROM opportunity_parts WHERE tenant_id = $1";

/// The scalar columns of an opportunity row, decoded; children are added afterwards.
#[derive(Debug)]
pub(crate) struct OpportunityRow {
    pub tenant_id: uuid::Uuid,
    pub id: uuid::Uuid,
    pub modality: String,
    pub lifecycle: String,
    pub title_de: String,
    pub title_en: String,
    pub description_de: String,
    pub description_en: String,
    pub content_language: String,
    pub duration_minutes: Option<i32>,
    pub provider_id: Option<uuid::Uuid>,
    pub cost_cents: Option<i64>,
    pub cost_currency: Option<String>,
    pub recertify_months: Option<i32>,
    pub link: Option<String>,
    pub package_id: Option<uuid::Uuid>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub revision: i64,
}

impl OpportunityRow {
    pub(crate) fn into_record(self) -> Result<OpportunityRecord, sqlx::Error> {
        let modality =
            Modality::parse(&self.modality).ok_or_else(|| corrupt("modality", &self.modality))?;
        let lifecycle = Lifecycle::parse(&self.lifecycle)
            .ok_or_else(|| corrupt("lifecycle", &self.lifecycle))?;
        let number = |what: &str, value: i64| corrupt(what, &value.to_string());
        Ok(OpportunityRecord {
            id: self.id.into(),
            tenant_id: self.tenant_id.into(),
            lifecycle,
            draft: OpportunityDraft {
                modality,
                title: LocalizedText::new(self.title_de, self.title_en),
                description: LocalizedText::new(self.description_de, self.description_en),
                content_language: self.content_language,
                duration_minutes: self
                    .duration_minutes
                    .map(|d| u32::try_from(d).map_err(|_| number("duration", d.into())))
                    .transpose()?,
                provider_id: self.provider_id.map(Into::into),
                cost: match (self.cost_cents, self.cost_currency) {
                    (Some(cents), Some(currency)) => Some(Cost {
                        cents: u64::try_from(cents).map_err(|_| number("cost", cents))?,
                        currency,
                    }),
                    _ => None,
                },
                audience: Vec::new(),
                alignments: Vec::new(),
                prerequisites: Vec::new(),
                recertify_after_months: self
                    .recertify_months
                    .map(|m| u16::try_from(m).map_err(|_| number("recertification", m.into())))
                    .transpose()?,
                link: self.link,
                package_id: self.package_id.map(Into::into),
                parts: Vec::new(),
                elective_groups: Vec::new(),
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
            revision: self.revision,
        })
    }
}

/// One child row of an opportunity (audience entry, alignment, prerequisite or part), with the
/// key of the opportunity it belongs to.
#[derive(Debug)]
pub(crate) enum Child {
    Audience(AudienceEntry),
    Alignment(Alignment),
    Prerequisite(Prerequisite),
    Part(mycel_catalogue::ProgramPart),
    ElectiveGroup(mycel_catalogue::ElectiveGroup),
}

pub(crate) fn audience_entry(
    kind: &str,
    target: Option<uuid::Uuid>,
) -> Result<AudienceEntry, sqlx::Error> {
    match (kind, target) {
        ("network", _) => Ok(AudienceEntry::Network),
        ("company", Some(t)) => Ok(AudienceEntry::Company(t.into())),
        ("org-unit", Some(t)) => Ok(AudienceEntry::OrgUnit(t.into())),
        ("role", Some(t)) => Ok(AudienceEntry::Role(t.into())),
        _ => Err(corrupt("audience entry", kind)),
    }
}

pub(crate) fn audience_target(entry: AudienceEntry) -> Option<uuid::Uuid> {
    match entry {
        AudienceEntry::Network => None,
        AudienceEntry::Company(t) => Some(t.as_uuid()),
        AudienceEntry::OrgUnit(u) => Some(u.as_uuid()),
        AudienceEntry::Role(r) => Some(r.as_uuid()),
    }
}

pub(crate) fn stored_level(value: f64) -> Result<Level, sqlx::Error> {
    Level::new(value).ok_or_else(|| corrupt("level", &value.to_string()))
}

/// Puts children into their records (children arrive in position order).
pub(crate) fn attach_children(
    records: &mut [OpportunityRecord],
    children: Vec<((TenantId, OpportunityId), Child)>,
) {
    let index: HashMap<(TenantId, OpportunityId), usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.tenant_id, r.id), i))
        .collect();
    for (key, child) in children {
        let Some(&i) = index.get(&key) else { continue };
        let draft = &mut records[i].draft;
        match child {
            Child::Audience(entry) => draft.audience.push(entry),
            Child::Alignment(alignment) => draft.alignments.push(alignment),
            Child::Prerequisite(prerequisite) => draft.prerequisites.push(prerequisite),
            Child::Part(part) => draft.parts.push(part),
            Child::ElectiveGroup(group) => draft.elective_groups.push(group),
        }
    }
}

/// Implements [`mycel_store::CatalogueStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! catalogue_store {
    ($store:ident, $db:ty) => {
        mod catalogue_rows {
            use crate::shared_catalogue::*;
            use mycel_catalogue::ProviderDraft;
            use mycel_store::catalogue::*;
            use sqlx::Row;

            pub(super) type DbRow = <$db as sqlx::Database>::Row;

            pub(super) fn opportunity(row: &DbRow) -> Result<OpportunityRow, sqlx::Error> {
                Ok(OpportunityRow {
                    tenant_id: row.try_get("tenant_id")?,
                    id: row.try_get("id")?,
                    modality: row.try_get("modality")?,
                    lifecycle: row.try_get("lifecycle")?,
                    title_de: row.try_get("title_de")?,
                    title_en: row.try_get("title_en")?,
                    description_de: row.try_get("description_de")?,
                    description_en: row.try_get("description_en")?,
                    content_language: row.try_get("content_language")?,
                    duration_minutes: row.try_get("duration_minutes")?,
                    provider_id: row.try_get("provider_id")?,
                    cost_cents: row.try_get("cost_cents")?,
                    cost_currency: row.try_get("cost_currency")?,
                    recertify_months: row.try_get("recertify_months")?,
                    link: row.try_get("link")?,
                    package_id: row.try_get("package_id")?,
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                    revision: row.try_get("revision")?,
                })
            }

            pub(super) fn provider(row: &DbRow) -> Result<Provider, sqlx::Error> {
                Ok(Provider {
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    tenant_id: row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                    draft: ProviderDraft {
                        name: row.try_get("name")?,
                        website: row.try_get("website")?,
                        contact_email: row.try_get("contact_email")?,
                        terms: row.try_get("terms")?,
                    },
                    updated_at: row.try_get("updated_at")?,
                })
            }

            pub(super) fn package(row: &DbRow) -> Result<PackageRecord, sqlx::Error> {
                let number = |what: &str, value: i64| crate::shared::corrupt(what, &value.to_string());
                let files: i32 = row.try_get("file_count")?;
                let bytes: i64 = row.try_get("total_bytes")?;
                Ok(PackageRecord {
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    tenant_id: row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                    kind: row.try_get("kind")?,
                    title: row.try_get("title")?,
                    sha256: row.try_get("sha256")?,
                    file_count: u32::try_from(files).map_err(|_| number("file count", files.into()))?,
                    total_bytes: u64::try_from(bytes).map_err(|_| number("package size", bytes))?,
                    structure: row.try_get("structure")?,
                    launch_path: row.try_get("launch_path")?,
                    uploaded_by: row.try_get::<Option<uuid::Uuid>, _>("uploaded_by")?.map(Into::into),
                    uploaded_at: row.try_get("uploaded_at")?,
                })
            }
        }

        impl $store {
            /// Reads the children of these opportunities and puts them in place.
            async fn complete_opportunities(
                &self,
                records: &mut [mycel_store::catalogue::OpportunityRecord],
            ) -> Result<(), sqlx::Error> {
                use crate::shared_catalogue::*;
                use sqlx::Row;
                let ids: Vec<uuid::Uuid> = records.iter().map(|r| r.id.as_uuid()).collect();
                let mut children = Vec::new();
                for chunk in ids.chunks(crate::shared_competencies::CHUNK) {
                    for (table, columns, order) in [
                        ("opportunity_audience", "kind, target", "position"),
                        ("opportunity_alignments", "competency_id, level", "competency_id"),
                        ("opportunity_prerequisites", "competency_id, level, required_opportunity_id", "position"),
                        ("opportunity_parts", "part_id, kind, elective_group", "position"),
                        ("program_elective_groups", "label_de, label_en, choose", "position"),
                    ] {
                        let key = if matches!(table, "opportunity_parts" | "program_elective_groups") { "program_id" } else { "opportunity_id" };
                        let mut qb = sqlx::QueryBuilder::<$db>::new(format!(
                            "SELECT tenant_id, {key} AS owner, {columns} FROM {table} WHERE {key} IN ("
                        ));
                        let mut list = qb.separated(", ");
                        for id in chunk {
                            list.push_bind(*id);
                        }
                        qb.push(format!(") ORDER BY tenant_id, {key}, {order}"));
                        for row in qb.build().fetch_all(&self.pool).await? {
                            let owner: (mycel_organisation::TenantId, mycel_organisation::OpportunityId) = (
                                row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                                row.try_get::<uuid::Uuid, _>("owner")?.into(),
                            );
                            let child = match table {
                                "opportunity_audience" => Child::Audience(audience_entry(
                                    row.try_get::<String, _>("kind")?.as_str(),
                                    row.try_get("target")?,
                                )?),
                                "opportunity_alignments" => Child::Alignment(mycel_catalogue::Alignment {
                                    competency_id: row.try_get::<uuid::Uuid, _>("competency_id")?.into(),
                                    level: stored_level(row.try_get("level")?)?,
                                }),
                                "opportunity_prerequisites" => {
                                    let competency: Option<uuid::Uuid> = row.try_get("competency_id")?;
                                    let required: Option<uuid::Uuid> = row.try_get("required_opportunity_id")?;
                                    Child::Prerequisite(match (competency, required) {
                                        (Some(c), _) => mycel_catalogue::Prerequisite::Competency {
                                            competency_id: c.into(),
                                            level: stored_level(row.try_get::<Option<f64>, _>("level")?.unwrap_or(0.0))?,
                                        },
                                        (None, Some(o)) => mycel_catalogue::Prerequisite::Opportunity { opportunity_id: o.into() },
                                        (None, None) => return Err(crate::shared::corrupt("prerequisite", "empty")),
                                    })
                                }
                                "opportunity_parts" => {
                                    let kind: String = row.try_get("kind")?;
                                    let group: Option<i32> = row.try_get("elective_group")?;
                                    let group = group.map(u16::try_from).transpose().map_err(|_| crate::shared::corrupt("elective group", &format!("{group:?}")))?;
                                    Child::Part(mycel_catalogue::ProgramPart {
                                        opportunity_id: row.try_get::<uuid::Uuid, _>("part_id")?.into(),
                                        kind: mycel_catalogue::PartKind::parse(&kind, group)
                                            .ok_or_else(|| crate::shared::corrupt("part kind", &kind))?,
                                    })
                                }
                                _ => {
                                    let choose: i32 = row.try_get("choose")?;
                                    Child::ElectiveGroup(mycel_catalogue::ElectiveGroup {
                                        label: mycel_competency::scale::LocalizedText::new(
                                            row.try_get::<String, _>("label_de")?,
                                            row.try_get::<String, _>("label_en")?,
                                        ),
                                        choose: u16::try_from(choose).map_err(|_| crate::shared::corrupt("choose", &choose.to_string()))?,
                                    })
                                }
                            };
                            children.push((owner, child));
                        }
                    }
                }
                attach_children(records, children);
                Ok(())
            }

            /// Rows of `sql` (selecting OPPORTUNITY_COLUMNS) as complete records.
            async fn opportunity_records(
                &self,
                rows: Vec<<$db as sqlx::Database>::Row>,
            ) -> Result<Vec<mycel_store::catalogue::OpportunityRecord>, sqlx::Error> {
                let mut records = rows
                    .iter()
                    .map(|row| catalogue_rows::opportunity(row)?.into_record())
                    .collect::<Result<Vec<_>, _>>()?;
                self.complete_opportunities(&mut records).await?;
                Ok(records)
            }

            /// Writes an opportunity's children (after deleting the old ones) and checks that its
            /// prerequisites and parts form no cycle.
            async fn write_opportunity_children(
                tx: &mut sqlx::Transaction<'static, $db>,
                tenant: uuid::Uuid,
                id: uuid::Uuid,
                draft: &mycel_catalogue::OpportunityDraft,
            ) -> StoreResult<()> {
                use crate::shared_catalogue::*;
                let err = store_error("opportunity");
                for table in ["opportunity_audience", "opportunity_alignments", "opportunity_prerequisites"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE tenant_id = $1 AND opportunity_id = $2"))
                        .bind(tenant).bind(id).execute(&mut **tx).await.map_err(&err)?;
                }
                for table in ["opportunity_parts", "program_elective_groups"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE tenant_id = $1 AND program_id = $2"))
                        .bind(tenant).bind(id).execute(&mut **tx).await.map_err(&err)?;
                }
                for (position, entry) in draft.audience.iter().enumerate() {
                    sqlx::query("INSERT INTO opportunity_audience (tenant_id, opportunity_id, position, kind, target) VALUES ($1, $2, $3, $4, $5)")
                        .bind(tenant).bind(id).bind(position as i32).bind(entry.kind()).bind(audience_target(*entry))
                        .execute(&mut **tx).await.map_err(&err)?;
                }
                for alignment in &draft.alignments {
                    sqlx::query("INSERT INTO opportunity_alignments (tenant_id, opportunity_id, competency_id, level) VALUES ($1, $2, $3, $4)")
                        .bind(tenant).bind(id).bind(alignment.competency_id.as_uuid()).bind(alignment.level.value())
                        .execute(&mut **tx).await.map_err(&err)?;
                }
                for (position, prerequisite) in draft.prerequisites.iter().enumerate() {
                    let (competency, level, required) = match prerequisite {
                        mycel_catalogue::Prerequisite::Competency { competency_id, level } => (Some(competency_id.as_uuid()), Some(level.value()), None),
                        mycel_catalogue::Prerequisite::Opportunity { opportunity_id } => (None, None, Some(opportunity_id.as_uuid())),
                    };
                    sqlx::query("INSERT INTO opportunity_prerequisites (tenant_id, opportunity_id, position, competency_id, level, required_opportunity_id) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(tenant).bind(id).bind(position as i32).bind(competency).bind(level).bind(required)
                        .execute(&mut **tx).await.map_err(&err)?;
                }
                for (position, part) in draft.parts.iter().enumerate() {
                    sqlx::query("INSERT INTO opportunity_parts (tenant_id, program_id, position, part_id, kind, elective_group) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(tenant).bind(id).bind(position as i32).bind(part.opportunity_id.as_uuid())
                        .bind(part.kind.as_str()).bind(part.kind.group().map(i32::from))
                        .execute(&mut **tx).await.map_err(&err)?;
                }
                for (position, group) in draft.elective_groups.iter().enumerate() {
                    sqlx::query("INSERT INTO program_elective_groups (tenant_id, program_id, position, label_de, label_en, choose) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(tenant).bind(id).bind(position as i32).bind(group.label.de.trim()).bind(group.label.en.trim())
                        .bind(i32::from(group.choose))
                        .execute(&mut **tx).await.map_err(&err)?;
                }
                let depends_on = draft.depends_on();
                if !depends_on.is_empty() {
                    let edges: Vec<(uuid::Uuid, uuid::Uuid)> = sqlx::query_as(DEPENDENCY_EDGES)
                        .bind(tenant).fetch_all(&mut **tx).await.map_err(&err)?;
                    let mut graph: std::collections::HashMap<mycel_organisation::OpportunityId, Vec<mycel_organisation::OpportunityId>> =
                        std::collections::HashMap::new();
                    for (from, to) in edges {
                        graph.entry(from.into()).or_default().push(to.into());
                    }
                    if let Some(cycle) = mycel_catalogue::dependencies::cycle_through(&graph, id.into(), &depends_on) {
                        let path: Vec<String> = cycle.iter().map(ToString::to_string).collect();
                        return Err(StoreError::InvalidReference(format!(
                            "prerequisites and parts would form a cycle: {}",
                            path.join(" → ")
                        )));
                    }
                }
                Ok(())
            }

            async fn ensure_opportunity_references(
                &self,
                scope: TenantScope,
                draft: &mycel_catalogue::OpportunityDraft,
            ) -> StoreResult<()> {
                let mut competencies: Vec<CompetencyId> = draft.alignments.iter().map(|a| a.competency_id).collect();
                competencies.extend(draft.prerequisites.iter().filter_map(|p| match p {
                    mycel_catalogue::Prerequisite::Competency { competency_id, .. } => Some(*competency_id),
                    mycel_catalogue::Prerequisite::Opportunity { .. } => None,
                }));
                if !competencies.is_empty() {
                    self.ensure_competencies_visible(scope, &competencies).await?;
                }
                Ok(())
            }

            async fn opportunity_in_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                tenant: uuid::Uuid,
                id: uuid::Uuid,
            ) -> StoreResult<crate::shared_catalogue::OpportunityRow> {
                let err = store_error("opportunity");
                let row = sqlx::query(&format!(
                    "SELECT {} FROM opportunities o WHERE o.tenant_id = $1 AND o.id = $2",
                    crate::shared_catalogue::OPPORTUNITY_COLUMNS
                ))
                .bind(tenant)
                .bind(id)
                .fetch_one(&mut **tx)
                .await
                .map_err(&err)?;
                catalogue_rows::opportunity(&row).map_err(&err)
            }
        }

        #[async_trait::async_trait]
        impl mycel_store::CatalogueStore for $store {
            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn create_provider(&self, scope: TenantScope, draft: &mycel_catalogue::ProviderDraft) -> StoreResult<mycel_store::catalogue::Provider> {
                let err = store_error("provider");
                let id = uuid::Uuid::now_v7();
                let at = now();
                sqlx::query("INSERT INTO providers (tenant_id, id, name, website, contact_email, terms, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
                    .bind(scope.tenant_id().as_uuid()).bind(id).bind(draft.name.trim()).bind(&draft.website)
                    .bind(&draft.contact_email).bind(&draft.terms).bind(at)
                    .execute(&self.pool).await.map_err(&err)?;
                self.provider(scope, scope.tenant_id(), id.into()).await
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn update_provider(&self, scope: TenantScope, id: ProviderId, draft: &mycel_catalogue::ProviderDraft) -> StoreResult<mycel_store::catalogue::Provider> {
                let err = store_error("provider");
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let changed = sqlx::query("UPDATE providers SET name = $3, website = $4, contact_email = $5, terms = $6, updated_at = $7 WHERE tenant_id = $1 AND id = $2")
                    .bind(scope.tenant_id().as_uuid()).bind(id.as_uuid()).bind(draft.name.trim()).bind(&draft.website)
                    .bind(&draft.contact_email).bind(&draft.terms).bind(now())
                    .execute(&mut *tx).await.map_err(&err)?
                    .rows_affected();
                if changed == 0 {
                    return Err(StoreError::NotFound("provider"));
                }
                // Its name is part of its opportunities as the search index holds them.
                sqlx::query(crate::shared_catalogue::NEXT_REVISION).fetch_one(&mut *tx).await.map_err(&err)?;
                tx.commit().await.map_err(&err)?;
                drop(_writer);
                self.provider(scope, scope.tenant_id(), id).await
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn providers(&self, scope: TenantScope) -> StoreResult<Vec<mycel_store::catalogue::Provider>> {
                let err = store_error("provider");
                let rows = sqlx::query(&format!("SELECT {} FROM providers WHERE tenant_id = $1 ORDER BY name, id", crate::shared_catalogue::PROVIDER_COLUMNS))
                    .bind(scope.tenant_id().as_uuid())
                    .fetch_all(&self.pool).await.map_err(&err)?;
                rows.iter().map(|row| catalogue_rows::provider(row).map_err(&err)).collect()
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn provider(&self, scope: TenantScope, owner: TenantId, id: ProviderId) -> StoreResult<mycel_store::catalogue::Provider> {
                let err = store_error("provider");
                // Another company's provider is readable when one of its opportunities that this
                // company may see names it.
                let row = sqlx::query(&format!(
                    "SELECT {} FROM providers p WHERE p.tenant_id = $2 AND p.id = $3 AND (p.tenant_id = $1 OR EXISTS ( \
                       SELECT 1 FROM opportunities o WHERE o.tenant_id = p.tenant_id AND o.provider_id = p.id AND {}))",
                    crate::shared_catalogue::PROVIDER_COLUMNS.replace("tenant_id, id", "p.tenant_id, p.id"),
                    crate::shared_catalogue::VISIBLE_OPPORTUNITY,
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(owner.as_uuid())
                .bind(id.as_uuid())
                .fetch_one(&self.pool)
                .await
                .map_err(&err)?;
                catalogue_rows::provider(&row).map_err(&err)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn create_package(&self, scope: TenantScope, package: &mycel_store::catalogue::PackageRecord) -> StoreResult<()> {
                let err = store_error("package");
                sqlx::query(&format!(
                    "INSERT INTO packages ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    crate::shared_catalogue::PACKAGE_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(package.id.as_uuid())
                .bind(&package.kind)
                .bind(&package.title)
                .bind(&package.sha256)
                .bind(i32::try_from(package.file_count).map_err(|_| StoreError::InvalidValue("too many files in the package".into()))?)
                .bind(i64::try_from(package.total_bytes).map_err(|_| StoreError::InvalidValue("the package is too large".into()))?)
                .bind(&package.structure)
                .bind(&package.launch_path)
                .bind(package.uploaded_by.map(|p| p.as_uuid()))
                .bind(package.uploaded_at)
                .execute(&self.pool)
                .await
                .map_err(&err)?;
                Ok(())
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn package(&self, scope: TenantScope, id: PackageId) -> StoreResult<mycel_store::catalogue::PackageRecord> {
                let err = store_error("package");
                let row = sqlx::query(&format!("SELECT {} FROM packages WHERE tenant_id = $1 AND id = $2", crate::shared_catalogue::PACKAGE_COLUMNS))
                    .bind(scope.tenant_id().as_uuid()).bind(id.as_uuid())
                    .fetch_one(&self.pool).await.map_err(&err)?;
                catalogue_rows::package(&row).map_err(&err)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn packages(&self, scope: TenantScope, limit: u32) -> StoreResult<Vec<mycel_store::catalogue::PackageRecord>> {
                let err = store_error("package");
                let rows = sqlx::query(&format!("SELECT {} FROM packages WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2", crate::shared_catalogue::PACKAGE_COLUMNS))
                    .bind(scope.tenant_id().as_uuid()).bind(i64::from(limit))
                    .fetch_all(&self.pool).await.map_err(&err)?;
                rows.iter().map(|row| catalogue_rows::package(row).map_err(&err)).collect()
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn create_opportunity(
                &self,
                scope: TenantScope,
                draft: &mycel_catalogue::OpportunityDraft,
                lifecycle: mycel_catalogue::Lifecycle,
            ) -> StoreResult<mycel_store::catalogue::OpportunityRecord> {
                let err = store_error("opportunity");
                self.ensure_opportunity_references(scope, draft).await?;
                let tenant = scope.tenant_id().as_uuid();
                let id = uuid::Uuid::now_v7();
                let at = now();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let (revision,): (i64,) = sqlx::query_as(crate::shared_catalogue::NEXT_REVISION).fetch_one(&mut *tx).await.map_err(&err)?;
                sqlx::query(
                    "INSERT INTO opportunities (tenant_id, id, modality, lifecycle, title_de, title_en, description_de, description_en, \
                     content_language, duration_minutes, provider_id, cost_cents, cost_currency, recertify_months, link, package_id, \
                     created_at, updated_at, revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18)",
                )
                .bind(tenant)
                .bind(id)
                .bind(draft.modality.as_str())
                .bind(lifecycle.as_str())
                .bind(&draft.title.de)
                .bind(&draft.title.en)
                .bind(&draft.description.de)
                .bind(&draft.description.en)
                .bind(&draft.content_language)
                .bind(draft.duration_minutes.map(|d| i32::try_from(d).unwrap_or(i32::MAX)))
                .bind(draft.provider_id.map(|p| p.as_uuid()))
                .bind(draft.cost.as_ref().map(|c| i64::try_from(c.cents).unwrap_or(i64::MAX)))
                .bind(draft.cost.as_ref().map(|c| c.currency.clone()))
                .bind(draft.recertify_after_months.map(i32::from))
                .bind(&draft.link)
                .bind(draft.package_id.map(|p| p.as_uuid()))
                .bind(at)
                .bind(revision)
                .execute(&mut *tx)
                .await
                .map_err(&err)?;
                Self::write_opportunity_children(&mut tx, tenant, id, draft).await?;
                tx.commit().await.map_err(&err)?;
                self.opportunity(scope, id.into()).await
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), opportunity = %id))]
            async fn update_opportunity(
                &self,
                scope: TenantScope,
                id: OpportunityId,
                draft: &mycel_catalogue::OpportunityDraft,
            ) -> StoreResult<mycel_store::catalogue::OpportunityRecord> {
                let err = store_error("opportunity");
                self.ensure_opportunity_references(scope, draft).await?;
                let tenant = scope.tenant_id().as_uuid();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                // Exists in this company (a not-found before the revision is taken).
                Self::opportunity_in_tx(&mut tx, tenant, id.as_uuid()).await?;
                let (revision,): (i64,) = sqlx::query_as(crate::shared_catalogue::NEXT_REVISION).fetch_one(&mut *tx).await.map_err(&err)?;
                sqlx::query(
                    "UPDATE opportunities SET modality = $3, title_de = $4, title_en = $5, description_de = $6, description_en = $7, \
                     content_language = $8, duration_minutes = $9, provider_id = $10, cost_cents = $11, cost_currency = $12, \
                     recertify_months = $13, link = $14, package_id = $15, updated_at = $16, revision = $17 \
                     WHERE tenant_id = $1 AND id = $2",
                )
                .bind(tenant)
                .bind(id.as_uuid())
                .bind(draft.modality.as_str())
                .bind(&draft.title.de)
                .bind(&draft.title.en)
                .bind(&draft.description.de)
                .bind(&draft.description.en)
                .bind(&draft.content_language)
                .bind(draft.duration_minutes.map(|d| i32::try_from(d).unwrap_or(i32::MAX)))
                .bind(draft.provider_id.map(|p| p.as_uuid()))
                .bind(draft.cost.as_ref().map(|c| i64::try_from(c.cents).unwrap_or(i64::MAX)))
                .bind(draft.cost.as_ref().map(|c| c.currency.clone()))
                .bind(draft.recertify_after_months.map(i32::from))
                .bind(&draft.link)
                .bind(draft.package_id.map(|p| p.as_uuid()))
                .bind(now())
                .bind(revision)
                .execute(&mut *tx)
                .await
                .map_err(&err)?;
                Self::write_opportunity_children(&mut tx, tenant, id.as_uuid(), draft).await?;
                tx.commit().await.map_err(&err)?;
                self.opportunity(scope, id).await
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), opportunity = %id))]
            async fn set_lifecycle(
                &self,
                scope: TenantScope,
                id: OpportunityId,
                lifecycle: mycel_catalogue::Lifecycle,
            ) -> StoreResult<mycel_store::catalogue::OpportunityRecord> {
                let err = store_error("opportunity");
                let tenant = scope.tenant_id().as_uuid();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                Self::opportunity_in_tx(&mut tx, tenant, id.as_uuid()).await?;
                let (revision,): (i64,) = sqlx::query_as(crate::shared_catalogue::NEXT_REVISION).fetch_one(&mut *tx).await.map_err(&err)?;
                sqlx::query("UPDATE opportunities SET lifecycle = $3, updated_at = $4, revision = $5 WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant).bind(id.as_uuid()).bind(lifecycle.as_str()).bind(now()).bind(revision)
                    .execute(&mut *tx).await.map_err(&err)?;
                tx.commit().await.map_err(&err)?;
                self.opportunity(scope, id).await
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), opportunity = %id))]
            async fn opportunity(&self, scope: TenantScope, id: OpportunityId) -> StoreResult<mycel_store::catalogue::OpportunityRecord> {
                let mut found = self.opportunities_by_id(scope, &[id]).await?;
                found.pop().ok_or(StoreError::NotFound("opportunity"))
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), count = ids.len()))]
            async fn opportunities_by_id(&self, scope: TenantScope, ids: &[OpportunityId]) -> StoreResult<Vec<mycel_store::catalogue::OpportunityRecord>> {
                let err = store_error("opportunity");
                let mut rows = Vec::new();
                for chunk in ids.chunks(crate::shared_competencies::CHUNK) {
                    // The visibility rule names the tenant twice; QueryBuilder numbers its own
                    // parameters, so the tenant is bound at each place.
                    let mut qb = sqlx::QueryBuilder::<$db>::new("");
                    let visible = crate::shared_catalogue::VISIBLE_OPPORTUNITY;
                    let parts: Vec<&str> = visible.split("$1").collect();
                    qb.push(format!("SELECT {} FROM opportunities o WHERE ", crate::shared_catalogue::OPPORTUNITY_COLUMNS));
                    for (i, part) in parts.iter().enumerate() {
                        qb.push(*part);
                        if i + 1 < parts.len() {
                            qb.push_bind(scope.tenant_id().as_uuid());
                        }
                    }
                    qb.push(" AND o.id IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(id.as_uuid());
                    }
                    qb.push(")");
                    rows.extend(qb.build().fetch_all(&self.pool).await.map_err(&err)?);
                }
                self.opportunity_records(rows).await.map_err(&err)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn list_opportunities(&self, scope: TenantScope, query: mycel_store::catalogue::OpportunityListQuery) -> StoreResult<Vec<mycel_store::catalogue::OpportunityRecord>> {
                let err = store_error("opportunity");
                let mut qb = sqlx::QueryBuilder::<$db>::new(format!("SELECT {} FROM opportunities o WHERE o.tenant_id = ", crate::shared_catalogue::OPPORTUNITY_COLUMNS));
                qb.push_bind(scope.tenant_id().as_uuid());
                if let Some(lifecycle) = query.lifecycle {
                    qb.push(" AND o.lifecycle = ");
                    qb.push_bind(lifecycle.as_str());
                }
                if let Some(after) = query.after {
                    qb.push(" AND o.id > ");
                    qb.push_bind(after.as_uuid());
                }
                qb.push(" ORDER BY o.id LIMIT ");
                qb.push_bind(i64::from(query.limit.clamp(1, 1000)));
                let rows = qb.build().fetch_all(&self.pool).await.map_err(&err)?;
                self.opportunity_records(rows).await.map_err(&err)
            }

            async fn catalogue_revision(&self) -> StoreResult<i64> {
                let err = store_error("catalogue revision");
                let (revision,): (i64,) = sqlx::query_as("SELECT revision FROM catalogue_revision WHERE id = 1")
                    .fetch_one(&self.pool).await.map_err(&err)?;
                Ok(revision)
            }

            #[tracing::instrument(skip_all)]
            async fn catalogue_page(&self, after: Option<(TenantId, OpportunityId)>, limit: u32) -> StoreResult<Vec<mycel_store::catalogue::OpportunityRecord>> {
                let err = store_error("opportunity");
                let mut qb = sqlx::QueryBuilder::<$db>::new(format!("SELECT {} FROM opportunities o", crate::shared_catalogue::OPPORTUNITY_COLUMNS));
                if let Some((tenant, id)) = after {
                    qb.push(" WHERE o.tenant_id > ");
                    qb.push_bind(tenant.as_uuid());
                    qb.push(" OR (o.tenant_id = ");
                    qb.push_bind(tenant.as_uuid());
                    qb.push(" AND o.id > ");
                    qb.push_bind(id.as_uuid());
                    qb.push(")");
                }
                qb.push(" ORDER BY o.tenant_id, o.id LIMIT ");
                qb.push_bind(i64::from(limit.clamp(1, 10_000)));
                let rows = qb.build().fetch_all(&self.pool).await.map_err(&err)?;
                self.opportunity_records(rows).await.map_err(&err)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), count = drafts.len()))]
            async fn import_opportunities(
                &self,
                scope: TenantScope,
                drafts: &[(mycel_catalogue::OpportunityDraft, mycel_catalogue::Lifecycle)],
            ) -> StoreResult<Vec<OpportunityId>> {
                let err = store_error("opportunity");
                if drafts.iter().any(|(d, _)| !d.parts.is_empty() || !d.elective_groups.is_empty() || d.depends_on().len() > 0) {
                    return Err(StoreError::InvalidValue("the bulk path takes no opportunity prerequisites or parts".into()));
                }
                let competencies: Vec<CompetencyId> = drafts.iter().flat_map(|(d, _)| d.alignments.iter().map(|a| a.competency_id)).collect();
                if !competencies.is_empty() {
                    self.ensure_competencies_visible(scope, &competencies).await?;
                }
                let tenant = scope.tenant_id().as_uuid();
                let at = now();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let (revision,): (i64,) = sqlx::query_as(crate::shared_catalogue::NEXT_REVISION).fetch_one(&mut *tx).await.map_err(&err)?;
                let ids: Vec<uuid::Uuid> = drafts.iter().map(|_| uuid::Uuid::now_v7()).collect();
                let rows: Vec<(uuid::Uuid, &(mycel_catalogue::OpportunityDraft, mycel_catalogue::Lifecycle))> = ids.iter().copied().zip(drafts.iter()).collect();
                for chunk in rows.chunks(crate::shared::IMPORT_CHUNK / 2) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO opportunities (tenant_id, id, modality, lifecycle, title_de, title_en, description_de, description_en, \
                         content_language, duration_minutes, provider_id, cost_cents, cost_currency, recertify_months, link, package_id, \
                         created_at, updated_at, revision) ",
                    );
                    qb.push_values(chunk, |mut row, (id, (draft, lifecycle))| {
                        row.push_bind(tenant)
                            .push_bind(*id)
                            .push_bind(draft.modality.as_str())
                            .push_bind(lifecycle.as_str())
                            .push_bind(draft.title.de.clone())
                            .push_bind(draft.title.en.clone())
                            .push_bind(draft.description.de.clone())
                            .push_bind(draft.description.en.clone())
                            .push_bind(draft.content_language.clone())
                            .push_bind(draft.duration_minutes.map(|d| i32::try_from(d).unwrap_or(i32::MAX)))
                            .push_bind(draft.provider_id.map(|p| p.as_uuid()))
                            .push_bind(draft.cost.as_ref().map(|c| i64::try_from(c.cents).unwrap_or(i64::MAX)))
                            .push_bind(draft.cost.as_ref().map(|c| c.currency.clone()))
                            .push_bind(draft.recertify_after_months.map(i32::from))
                            .push_bind(draft.link.clone())
                            .push_bind(draft.package_id.map(|p| p.as_uuid()))
                            .push_bind(at)
                            .push_bind(at)
                            .push_bind(revision);
                    });
                    qb.build().execute(&mut *tx).await.map_err(&err)?;
                }
                let alignments: Vec<(uuid::Uuid, uuid::Uuid, f64)> = rows.iter()
                    .flat_map(|(id, (draft, _))| draft.alignments.iter().map(move |a| (*id, a.competency_id.as_uuid(), a.level.value())))
                    .collect();
                for chunk in alignments.chunks(crate::shared::IMPORT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO opportunity_alignments (tenant_id, opportunity_id, competency_id, level) ");
                    qb.push_values(chunk, |mut row, (id, competency, level)| {
                        row.push_bind(tenant).push_bind(*id).push_bind(*competency).push_bind(*level);
                    });
                    qb.build().execute(&mut *tx).await.map_err(&err)?;
                }
                let audience: Vec<(uuid::Uuid, i32, &'static str, Option<uuid::Uuid>)> = rows.iter()
                    .flat_map(|(id, (draft, _))| draft.audience.iter().enumerate().map(move |(i, e)| (*id, i as i32, e.kind(), crate::shared_catalogue::audience_target(*e))))
                    .collect();
                for chunk in audience.chunks(crate::shared::IMPORT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO opportunity_audience (tenant_id, opportunity_id, position, kind, target) ");
                    qb.push_values(chunk, |mut row, (id, position, kind, target)| {
                        row.push_bind(tenant).push_bind(*id).push_bind(*position).push_bind(*kind).push_bind(*target);
                    });
                    qb.build().execute(&mut *tx).await.map_err(&err)?;
                }
                let prerequisites: Vec<(uuid::Uuid, i32, uuid::Uuid, f64)> = rows.iter()
                    .flat_map(|(id, (draft, _))| draft.prerequisites.iter().enumerate().filter_map(move |(i, p)| match p {
                        mycel_catalogue::Prerequisite::Competency { competency_id, level } => Some((*id, i as i32, competency_id.as_uuid(), level.value())),
                        mycel_catalogue::Prerequisite::Opportunity { .. } => None,
                    }))
                    .collect();
                for chunk in prerequisites.chunks(crate::shared::IMPORT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO opportunity_prerequisites (tenant_id, opportunity_id, position, competency_id, level) ");
                    qb.push_values(chunk, |mut row, (id, position, competency, level)| {
                        row.push_bind(tenant).push_bind(*id).push_bind(*position).push_bind(*competency).push_bind(*level);
                    });
                    qb.build().execute(&mut *tx).await.map_err(&err)?;
                }
                tx.commit().await.map_err(&err)?;
                Ok(ids.into_iter().map(Into::into).collect())
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), parts = parts.len()))]
            async fn programs_containing(&self, scope: TenantScope, parts: &[OpportunityId]) -> StoreResult<Vec<OpportunityId>> {
                let err = store_error("opportunity");
                let mut programs: Vec<OpportunityId> = Vec::new();
                for chunk in parts.chunks(crate::shared_competencies::CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT DISTINCT program_id FROM opportunity_parts WHERE tenant_id = ");
                    qb.push_bind(scope.tenant_id().as_uuid());
                    qb.push(" AND part_id IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(id.as_uuid());
                    }
                    qb.push(")");
                    let rows: Vec<(uuid::Uuid,)> = qb.build_query_as().fetch_all(&self.pool).await.map_err(&err)?;
                    programs.extend(rows.into_iter().map(|(id,)| OpportunityId::from(id)));
                }
                programs.sort();
                programs.dedup();
                Ok(programs)
            }
        }
    };
}

pub(crate) use catalogue_store;

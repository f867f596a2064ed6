//! The demo network's generator at the scale of the largest user, for benchmarks: many member
//! companies (a few large, many small), 400,000 people, ESCO plus a generated network framework
//! up to 20,000 competencies, 100,000 opportunities aligned to them, and statements of the last
//! six months — written through the store's bulk paths (`import_people`,
//! `import_role_assignments`, `import_opportunities`, `insert_statements`), not one by one.
//! The change-feed readers then turn the statements into completions and evidence, and the
//! estimates are computed, as in production.

use crate::companies::import_esco;
use crate::network_plan::{self, mail_name, CITIES, FIRST_NAMES, LAST_NAMES};
use anyhow::{anyhow, Context};
use chrono::{DateTime, Duration, SubsecRound, Utc};
use mycel_app::competencies as comp;
use mycel_app::lrs::statement_for_store;
use mycel_app::{assignments, statement_evidence, Acting};
use mycel_catalogue::{Alignment, AudienceEntry, Lifecycle, Modality, OpportunityDraft};
use mycel_competency::framework::{
    CompetencyKind, FrameworkImport, FrameworkKind, ImportedCompetency, Label,
};
use mycel_competency::scale::{Level, LocalizedText};
use mycel_competency::RequirementKind;
use mycel_organisation::{
    CompetencyId, CredentialId, OpportunityId, OrgUnitId, Person, PersonId, RoleAssignment,
    RoleAssignmentKind, RoleId,
};
use mycel_store::competencies::RoleRequirement;
use mycel_store::lrs::NewStatement;
use mycel_store::{NewOrgUnit, NewRole, Store, TenantScope};
use mycel_xapi::{prepare_statement, Assignment, XapiVersion};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// How big the generated network is.
#[derive(Debug, Clone, Copy)]
pub struct NetworkScale {
    pub companies: u32,
    pub people: u32,
    /// Competencies in all: ESCO's, topped up by a generated network framework.
    pub competencies: u32,
    pub opportunities: u32,
    pub statements_per_person: u32,
}

impl NetworkScale {
    /// The largest user: a cooperative of 400,000 employees in 300 member companies.
    pub const COOPERATIVE: Self = Self {
        companies: 300,
        people: 400_000,
        competencies: 20_000,
        opportunities: 100_000,
        statements_per_person: 10,
    };
}

/// Where the generator is, for a progress bar.
pub trait Progress: Send + Sync {
    /// A new phase with this many units of work.
    fn phase(&self, name: &str, total: u64);
    fn advance(&self, done: u64);
}

/// How long each phase took and how many rows it wrote.
#[derive(Debug, Clone, Default)]
pub struct ScaleSummary {
    pub phases: Vec<(String, u64, f64)>,
    pub seconds: f64,
}

/// People per `import_people` call.
const PEOPLE_PER_CALL: usize = 10_000;
/// Opportunities per `import_opportunities` call.
const OPPORTUNITIES_PER_CALL: usize = 5_000;
/// Statements per `insert_statements` call.
const STATEMENTS_PER_CALL: usize = 1_000;
/// People per store, depot or department.
const PEOPLE_PER_SITE: u32 = 60;
/// Sites per region.
const SITES_PER_REGION: u32 = 25;
/// Competencies in a role's profile.
const PROFILE_SIZE: usize = 30;

const AREAS: [(&str, &str); 20] = [
    ("Warenpflege", "Merchandise care"),
    ("Kassenführung", "Till operation"),
    ("Kundenberatung", "Customer advice"),
    ("Frischetheke", "Fresh counter"),
    ("Lagerlogistik", "Warehouse logistics"),
    ("Tourenplanung", "Route planning"),
    ("Fuhrparkmanagement", "Fleet management"),
    ("Einkauf", "Purchasing"),
    ("Sortimentsplanung", "Range planning"),
    ("Filialführung", "Store management"),
    ("Personalführung", "Leading people"),
    ("Arbeitssicherheit", "Occupational safety"),
    ("Lebensmittelhygiene", "Food hygiene"),
    ("Warenwirtschaft", "Merchandise management system"),
    ("Online-Handel", "Online retail"),
    ("Nachhaltigkeit", "Sustainability"),
    ("Controlling", "Controlling"),
    ("Datenschutz", "Data protection"),
    ("Qualitätsmanagement", "Quality management"),
    ("Kommunikation", "Communication"),
];

const TOPICS: [(&str, &str); 25] = [
    ("Grundlagen", "basics"),
    ("Prozesse", "processes"),
    ("Kennzahlen", "key figures"),
    ("Dokumentation", "documentation"),
    ("Rechtliche Vorgaben", "legal requirements"),
    ("Digitale Werkzeuge", "digital tools"),
    ("Fehlervermeidung", "avoiding errors"),
    ("Saisonware", "seasonal goods"),
    ("Reklamationen", "complaints"),
    ("Planung", "planning"),
    ("Schichtübergabe", "shift handover"),
    ("Einarbeitung", "onboarding"),
    ("Inventur", "stocktaking"),
    ("Preisauszeichnung", "price labelling"),
    ("Kühlkette", "cold chain"),
    ("Gefahrstoffe", "hazardous substances"),
    ("Verpackung", "packaging"),
    ("Retouren", "returns"),
    ("Lieferantengespräche", "supplier talks"),
    ("Teamarbeit", "teamwork"),
    ("Konfliktlösung", "resolving conflicts"),
    ("Zeitmanagement", "time management"),
    ("Kundenbindung", "customer loyalty"),
    ("Energiesparen", "saving energy"),
    ("Barrierefreiheit", "accessibility"),
];

const LEVELS: [(&str, &str); 12] = [
    ("Einstieg", "introduction"),
    ("Praxis", "practice"),
    ("Vertiefung", "advanced"),
    ("Expertenwissen", "expert knowledge"),
    ("für Auszubildende", "for apprentices"),
    ("für Führungskräfte", "for leaders"),
    ("im Markt", "in the store"),
    ("im Lager", "in the warehouse"),
    ("unterwegs", "on the road"),
    ("in der Zentrale", "at head office"),
    ("im Team", "in the team"),
    ("kompakt", "in brief"),
];

fn label(text: String) -> Label {
    Label {
        preferred: text,
        alternatives: Vec::new(),
        description: None,
    }
}

/// Company sizes: a few large companies and many small ones (size ∝ 1/rank^0.9), at least 10
/// people each, summing to `people`.
pub fn company_sizes(companies: u32, people: u32) -> Vec<u32> {
    let companies = companies.max(1);
    let weights: Vec<f64> = (1..=companies)
        .map(|rank| 1.0 / f64::from(rank).powf(0.9))
        .collect();
    let sum: f64 = weights.iter().sum();
    let floor = 10u32.min(people / companies);
    let spare = people - floor * companies;
    let mut sizes: Vec<u32> = weights
        .iter()
        .map(|w| floor + (f64::from(spare) * w / sum) as u32)
        .collect();
    let written: u32 = sizes.iter().sum();
    sizes[0] += people - written;
    sizes
}

/// Generates the network at `scale` into a database without it.
pub async fn generate(
    store: &dyn Store,
    scale: NetworkScale,
    seed: u64,
    shared_data: &Path,
    home_page: &str,
    progress: &dyn Progress,
) -> anyhow::Result<ScaleSummary> {
    let began = Instant::now();
    let mut summary = ScaleSummary::default();
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5CA1E);
    let now = Utc::now().trunc_subsecs(0);
    let mut timed = |name: &str, rows: u64, since: Instant| {
        summary
            .phases
            .push((name.to_owned(), rows, since.elapsed().as_secs_f64()));
    };

    // Competencies: ESCO, then a network framework of the company's own up to the total.
    let since = Instant::now();
    progress.phase("ESCO", 1);
    import_esco(store, &shared_data.join("esco")).await?;
    progress.advance(1);
    timed("ESCO import", 1, since);

    let first = mycel_app::organisation::create_tenant(
        store,
        Acting::Operator,
        "mitglied-001",
        &company_name(0),
    )
    .await
    .context("cannot create the first member company")?;
    let any_scope = TenantScope::system(first.id);
    let esco_count = count_competencies(store, any_scope).await?;
    let own = scale.competencies.saturating_sub(esco_count);
    let since = Instant::now();
    progress.phase("network framework", u64::from(own));
    if own > 0 {
        let import = network_framework(own);
        comp::import_framework(store, Acting::Operator, None, &import, &|_| {})
            .await
            .context("cannot write the network framework")?;
    }
    progress.advance(u64::from(own));
    timed("network framework", u64::from(own), since);
    let pool = all_competencies(store, any_scope).await?;

    // Role profiles: ESCO occupations' requirements, read once.
    let occupations = role_occupations(store, any_scope).await?;

    let sizes = company_sizes(scale.companies, scale.people);
    let opportunity_share = f64::from(scale.opportunities) / f64::from(scale.people.max(1));
    let mut index_people = 0u64;
    let mut index_opportunities = 0u64;
    let mut index_statements = 0u64;
    let (mut t_org, mut t_people, mut t_opps, mut t_statements) = (0.0, 0.0, 0.0, 0.0);
    progress.phase("member companies", u64::from(scale.people));
    for (c, size) in sizes.iter().enumerate() {
        let scope = if c == 0 {
            any_scope
        } else {
            let tenant = mycel_app::organisation::create_tenant(
                store,
                Acting::Operator,
                &format!("mitglied-{:03}", c + 1),
                &company_name(c),
            )
            .await
            .context("cannot create a member company")?;
            TenantScope::system(tenant.id)
        };
        let since = Instant::now();
        let (roles, sites) =
            company_structure(store, scope, c, *size, &occupations, &pool, &mut rng).await?;
        t_org += since.elapsed().as_secs_f64();

        let since = Instant::now();
        let people = company_people(store, scope, c, *size, &roles, &sites, now, &mut rng).await?;
        t_people += since.elapsed().as_secs_f64();
        index_people += people.len() as u64;

        let since = Instant::now();
        let wanted = ((f64::from(*size) * opportunity_share).round() as usize).max(1);
        let opportunities =
            company_opportunities(store, scope, c, wanted, &roles, &pool, &mut rng).await?;
        t_opps += since.elapsed().as_secs_f64();
        index_opportunities += opportunities.len() as u64;

        let since = Instant::now();
        index_statements += company_statements(
            store,
            scope,
            &people,
            &opportunities,
            scale.statements_per_person,
            home_page,
            now,
            &mut rng,
        )
        .await?;
        t_statements += since.elapsed().as_secs_f64();
        progress.advance(u64::from(*size));
    }
    summary.phases.push((
        "org units and role profiles".into(),
        sizes.len() as u64,
        t_org,
    ));
    summary
        .phases
        .push(("people and role assignments".into(), index_people, t_people));
    summary
        .phases
        .push(("opportunities".into(), index_opportunities, t_opps));
    summary
        .phases
        .push(("statements".into(), index_statements, t_statements));

    // The feed readers: completions and evidence; then the estimates.
    progress.phase("completions, evidence, estimates", sizes.len() as u64);
    let (mut t_completions, mut t_evidence, mut t_estimates) = (0.0, 0.0, 0.0);
    let mut estimates = 0u64;
    for tenant in store
        .list_tenants()
        .await
        .context("cannot list companies")?
    {
        let scope = TenantScope::system(tenant.id);
        let since = Instant::now();
        assignments::catch_up(store, scope)
            .await
            .context("cannot turn statements into completions")?;
        t_completions += since.elapsed().as_secs_f64();
        let since = Instant::now();
        statement_evidence::catch_up(store, scope)
            .await
            .context("cannot turn statements into evidence")?;
        t_evidence += since.elapsed().as_secs_f64();
        let since = Instant::now();
        estimates += comp::refresh_estimates(store, scope)
            .await
            .context("cannot compute the estimates")?;
        t_estimates += since.elapsed().as_secs_f64();
        progress.advance(1);
    }
    summary.phases.push((
        "completions from the statements (feed reader)".into(),
        index_statements,
        t_completions,
    ));
    summary.phases.push((
        "evidence from the statements (feed reader)".into(),
        index_statements,
        t_evidence,
    ));
    summary
        .phases
        .push(("estimates computed".into(), estimates, t_estimates));
    summary.seconds = began.elapsed().as_secs_f64();
    Ok(summary)
}

fn company_name(index: usize) -> String {
    const KINDS: [&str; 4] = ["Frischemarkt", "Großhandel", "Logistik", "Handelshaus"];
    format!(
        "{} {} {} GmbH",
        KINDS[index % KINDS.len()],
        CITIES[index % CITIES.len()],
        index + 1
    )
}

async fn count_competencies(store: &dyn Store, scope: TenantScope) -> anyhow::Result<u32> {
    Ok(all_competencies(store, scope).await?.len() as u32)
}

/// Every competency the network can use (not groups).
async fn all_competencies(
    store: &dyn Store,
    scope: TenantScope,
) -> anyhow::Result<Vec<CompetencyId>> {
    let mut all = Vec::new();
    for framework in store
        .frameworks(scope)
        .await
        .context("cannot list frameworks")?
    {
        let mut after = None;
        loop {
            let page = store
                .framework_competencies(scope, framework.id, after, 5_000)
                .await
                .context("cannot list a framework's competencies")?;
            let Some(last) = page.last().map(|c| c.id) else {
                break;
            };
            all.extend(
                page.iter()
                    .filter(|c| c.kind != CompetencyKind::Group && !c.obsolete)
                    .map(|c| c.id),
            );
            after = Some(last);
        }
    }
    Ok(all)
}

/// A network framework of `count` generated competencies ("Warenpflege: Kühlkette – Praxis").
fn network_framework(count: u32) -> FrameworkImport {
    let mut competencies = Vec::with_capacity(count as usize);
    let combinations = AREAS.len() * TOPICS.len() * LEVELS.len();
    for i in 0..count as usize {
        let (a, t, l) = (
            i % AREAS.len(),
            (i / AREAS.len()) % TOPICS.len(),
            (i / (AREAS.len() * TOPICS.len())) % LEVELS.len(),
        );
        let part = i / combinations;
        let suffix = |word: &str| {
            if part == 0 {
                String::new()
            } else {
                format!(" ({word} {})", part + 1)
            }
        };
        let mut labels = BTreeMap::new();
        labels.insert(
            "de".to_owned(),
            label(format!(
                "{}: {} – {}{}",
                AREAS[a].0,
                TOPICS[t].0,
                LEVELS[l].0,
                suffix("Teil")
            )),
        );
        labels.insert(
            "en".to_owned(),
            label(format!(
                "{}: {} – {}{}",
                AREAS[a].1,
                TOPICS[t].1,
                LEVELS[l].1,
                suffix("part")
            )),
        );
        competencies.push(ImportedCompetency {
            uri: format!("https://kompetenzen.handel-nord.example/{i}"),
            code: Some(format!("HN-{i:05}")),
            kind: CompetencyKind::Competency,
            category: None,
            labels,
        });
    }
    let mut title = BTreeMap::new();
    title.insert("de".to_owned(), label("Kompetenzmodell Handel Nord".into()));
    title.insert(
        "en".to_owned(),
        label("Handel Nord competency model".into()),
    );
    FrameworkImport {
        kind: FrameworkKind::Own,
        uri: "https://kompetenzen.handel-nord.example".into(),
        title,
        version: "2026".into(),
        competencies,
        relations: Vec::new(),
        occupations: Vec::new(),
    }
}

/// The demo's roles' ESCO occupations with their requirements.
async fn role_occupations(
    store: &dyn Store,
    scope: TenantScope,
) -> anyhow::Result<Vec<(&'static str, Vec<(CompetencyId, RequirementKind)>)>> {
    let mut seen = BTreeMap::new();
    for company in network_plan::COMPANIES {
        for role in company.roles {
            if seen.contains_key(role.occupation) {
                continue;
            }
            let occupation = store
                .search_occupations(scope, role.occupation, 50)
                .await
                .context("cannot search occupations")?
                .into_iter()
                .find(|o| {
                    o.labels
                        .get("en")
                        .is_some_and(|l| l.preferred == role.occupation)
                })
                .ok_or_else(|| anyhow!("the ESCO occupation {:?} is missing", role.occupation))?;
            let requirements = store
                .occupation_requirements(scope, occupation.id)
                .await
                .context("cannot read an occupation's requirements")?;
            seen.insert(role.occupation, (role.name, requirements));
        }
    }
    Ok(seen.into_values().collect())
}

/// A role of a generated company: its id and profile competencies.
struct ScaleRole {
    id: RoleId,
    profile: Vec<CompetencyId>,
}

/// The org units (root, regions, sites) and the roles of one company.
async fn company_structure(
    store: &dyn Store,
    scope: TenantScope,
    index: usize,
    size: u32,
    occupations: &[(&'static str, Vec<(CompetencyId, RequirementKind)>)],
    pool: &[CompetencyId],
    rng: &mut StdRng,
) -> anyhow::Result<(Vec<ScaleRole>, Vec<OrgUnitId>)> {
    let unit = |parent: Option<OrgUnitId>, name: String| async move {
        store
            .create_org_unit(
                scope,
                NewOrgUnit {
                    parent_id: parent,
                    name,
                },
            )
            .await
            .map(|u| u.id)
            .context("cannot create an org unit")
    };
    let root = unit(None, company_name(index)).await?;
    let site_count = size.div_ceil(PEOPLE_PER_SITE).max(1);
    let mut sites = Vec::with_capacity(site_count as usize);
    if site_count == 1 {
        sites.push(root);
    } else {
        let mut region = root;
        for s in 0..site_count {
            if s % SITES_PER_REGION == 0 {
                region = unit(
                    Some(root),
                    format!(
                        "Region {}",
                        CITIES[(s / SITES_PER_REGION) as usize % CITIES.len()]
                    ),
                )
                .await?;
            }
            sites.push(
                unit(
                    Some(region),
                    format!("Standort {}-{}", CITIES[s as usize % CITIES.len()], s + 1),
                )
                .await?,
            );
        }
    }
    // Eight roles, rotating through the occupations; each profile takes up to 30 of the
    // occupation's requirements and a few competencies of the network framework.
    let mut roles = Vec::new();
    for r in 0..8usize.min(occupations.len()) {
        let (name, requirements) = &occupations[(index + r) % occupations.len()];
        let role = store
            .create_role(
                scope,
                NewRole {
                    name: (*name).to_owned(),
                    description: None,
                },
            )
            .await
            .context("cannot create a role")?;
        let mut profile: Vec<RoleRequirement> = requirements
            .iter()
            .take(PROFILE_SIZE - 5)
            .map(|(competency_id, kind)| RoleRequirement {
                competency_id: *competency_id,
                kind: *kind,
                target: Level::new(if *kind == RequirementKind::Required {
                    3.0
                } else {
                    2.0
                })
                .unwrap_or(Level::ZERO),
            })
            .collect();
        while profile.len() < PROFILE_SIZE && !pool.is_empty() {
            let competency_id = pool[rng.gen_range(0..pool.len())];
            if profile.iter().all(|p| p.competency_id != competency_id) {
                profile.push(RoleRequirement {
                    competency_id,
                    kind: RequirementKind::Desired,
                    target: Level::new(2.0).unwrap_or(Level::ZERO),
                });
            }
        }
        comp::set_role_profile(store, Acting::Operator, scope, role.id, &profile)
            .await
            .context("cannot set a role profile")?;
        roles.push(ScaleRole {
            id: role.id,
            profile: profile.iter().map(|p| p.competency_id).collect(),
        });
    }
    Ok((roles, sites))
}

/// A generated person of a company, as their statements name them.
struct ScalePerson {
    email: String,
    name: String,
}

#[allow(clippy::too_many_arguments)]
async fn company_people(
    store: &dyn Store,
    scope: TenantScope,
    index: usize,
    size: u32,
    roles: &[ScaleRole],
    sites: &[OrgUnitId],
    now: DateTime<Utc>,
    rng: &mut StdRng,
) -> anyhow::Result<Vec<ScalePerson>> {
    let mut people = Vec::with_capacity(size as usize);
    let mut records = Vec::with_capacity(size as usize);
    let mut assignments = Vec::with_capacity(size as usize);
    let mut site_head: Vec<Option<PersonId>> = vec![None; sites.len()];
    for n in 0..size {
        let site = (n as usize) % sites.len();
        let first = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
        let last = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
        let id = PersonId::from_uuid(uuid::Builder::from_random_bytes(rng.gen()).into_uuid());
        let email = format!(
            "{}.{}.{n}@mitglied-{:03}.example",
            mail_name(first),
            mail_name(last),
            index + 1
        );
        let role = rng.gen_range(0..roles.len().max(1));
        records.push(Person {
            tenant_id: scope.tenant_id(),
            id,
            display_name: format!("{first} {last}"),
            email: Some(email.clone()),
            org_unit_id: Some(sites[site]),
            manager_id: site_head[site],
            locale: None,
            created_at: now - Duration::days(rng.gen_range(30..3000)),
        });
        if site_head[site].is_none() {
            site_head[site] = Some(id);
        }
        if let Some(role) = roles.get(role) {
            assignments.push(RoleAssignment {
                tenant_id: scope.tenant_id(),
                person_id: id,
                role_id: role.id,
                kind: RoleAssignmentKind::Current,
                assigned_at: now - Duration::days(180),
            });
        }
        people.push(ScalePerson {
            email,
            name: format!("{first} {last}"),
        });
    }
    for chunk in records.chunks(PEOPLE_PER_CALL) {
        store
            .import_people(scope, chunk)
            .await
            .context("cannot write people")?;
    }
    for chunk in assignments.chunks(PEOPLE_PER_CALL) {
        store
            .import_role_assignments(scope, chunk)
            .await
            .context("cannot write role assignments")?;
    }
    Ok(people)
}

/// A generated opportunity: id, the competency it teaches, modality.
struct ScaleOpportunity {
    id: OpportunityId,
    modality: Modality,
    title: LocalizedText,
}

const MODALITIES: [Modality; 7] = [
    Modality::Video,
    Modality::Document,
    Modality::WebLink,
    Modality::Classroom,
    Modality::Mentoring,
    Modality::OnTheJob,
    Modality::Community,
];

async fn company_opportunities(
    store: &dyn Store,
    scope: TenantScope,
    index: usize,
    count: usize,
    roles: &[ScaleRole],
    pool: &[CompetencyId],
    rng: &mut StdRng,
) -> anyhow::Result<Vec<ScaleOpportunity>> {
    let mut drafts = Vec::with_capacity(count);
    for n in 0..count {
        let modality = MODALITIES[rng.gen_range(0..MODALITIES.len())];
        // Most teach what the company's roles need; the rest anything of the network.
        let competency = match roles.get(rng.gen_range(0..roles.len().max(1))) {
            Some(role) if rng.gen_bool(0.7) && !role.profile.is_empty() => {
                role.profile[rng.gen_range(0..role.profile.len())]
            }
            _ if !pool.is_empty() => pool[rng.gen_range(0..pool.len())],
            _ => continue,
        };
        let (area_de, area_en) = AREAS[rng.gen_range(0..AREAS.len())];
        let (topic_de, topic_en) = TOPICS[rng.gen_range(0..TOPICS.len())];
        let mut draft = OpportunityDraft::new(
            modality,
            LocalizedText::new(
                format!("{area_de}: {topic_de} ({})", n + 1),
                format!("{area_en}: {topic_en} ({})", n + 1),
            ),
            "de",
        );
        draft.duration_minutes = Some(match modality {
            Modality::Classroom => 240 + 60 * rng.gen_range(0..5),
            Modality::Mentoring | Modality::OnTheJob => 60 * rng.gen_range(1..5),
            _ => 5 * rng.gen_range(3..19),
        });
        draft.alignments = vec![Alignment {
            competency_id: competency,
            level: Level::new(f64::from(rng.gen_range(1..=4u8))).unwrap_or(Level::ZERO),
        }];
        if modality.needs_link() {
            draft.link = Some(format!(
                "https://intranet.mitglied-{:03}.example/lernen/{}",
                index + 1,
                n + 1
            ));
        }
        if rng.gen_bool(0.03) {
            draft.audience = vec![AudienceEntry::Network];
        }
        drafts.push((draft, Lifecycle::Published));
    }
    let mut out = Vec::with_capacity(drafts.len());
    for chunk in drafts.chunks(OPPORTUNITIES_PER_CALL) {
        let ids = store
            .import_opportunities(scope, chunk)
            .await
            .context("cannot write opportunities")?;
        out.extend(
            ids.into_iter()
                .zip(chunk)
                .map(|(id, (draft, _))| ScaleOpportunity {
                    id,
                    modality: draft.modality,
                    title: draft.title.clone(),
                }),
        );
    }
    Ok(out)
}

/// Statements of the last six months: each person completed (or passed, attended) some of the
/// company's opportunities.
#[allow(clippy::too_many_arguments)]
async fn company_statements(
    store: &dyn Store,
    scope: TenantScope,
    people: &[ScalePerson],
    opportunities: &[ScaleOpportunity],
    per_person: u32,
    home_page: &str,
    now: DateTime<Utc>,
    rng: &mut StdRng,
) -> anyhow::Result<u64> {
    if opportunities.is_empty() || per_person == 0 {
        return Ok(0);
    }
    let authority = json!({
        "objectType": "Agent",
        "name": "Mycel",
        "account": {"homePage": home_page, "name": "mycel"},
    });
    let credential = CredentialId::from_uuid(uuid::Uuid::nil());
    let mut batch: Vec<NewStatement> = Vec::with_capacity(STATEMENTS_PER_CALL);
    let mut written = 0u64;
    for person in people {
        for _ in 0..per_person {
            let opportunity = &opportunities[rng.gen_range(0..opportunities.len())];
            let at = now - Duration::minutes(rng.gen_range(60..182 * 24 * 60));
            let verb = match opportunity.modality {
                Modality::Classroom => "http://adlnet.gov/expapi/verbs/attended",
                _ => "http://adlnet.gov/expapi/verbs/completed",
            };
            let statement = json!({
                "id": uuid::Builder::from_random_bytes(rng.gen()).into_uuid().to_string(),
                "actor": {"objectType": "Agent", "name": person.name, "mbox": format!("mailto:{}", person.email)},
                "verb": {"id": verb, "display": {"en-US": verb.rsplit('/').next().unwrap_or(verb)}},
                "object": {
                    "objectType": "Activity",
                    "id": mycel_app::catalogue::activity_id(home_page, opportunity.id),
                    "definition": {"name": {"de-DE": opportunity.title.de, "en-US": opportunity.title.en}},
                },
                "result": {"completion": true},
                "timestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            });
            let assignment = Assignment {
                id: uuid::Uuid::new_v4(),
                stored: now,
                authority: Some(authority.clone()),
            };
            let prepared = prepare_statement(&statement, XapiVersion::V1_0_3, &assignment)
                .map_err(|e| anyhow!("a generated statement is invalid: {e}"))?;
            let mut new = statement_for_store(prepared, now, credential);
            // One definition per activity is enough; the store keeps the first.
            new.activity_definitions.clear();
            batch.push(new);
            if batch.len() == STATEMENTS_PER_CALL {
                written += batch.len() as u64;
                store
                    .insert_statements(scope, std::mem::take(&mut batch))
                    .await
                    .context("cannot write statements")?;
            }
        }
    }
    if !batch.is_empty() {
        written += batch.len() as u64;
        store
            .insert_statements(scope, batch)
            .await
            .context("cannot write statements")?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_sizes_add_up_and_fall_with_rank() {
        let sizes = company_sizes(300, 400_000);
        assert_eq!(sizes.len(), 300);
        assert_eq!(sizes.iter().sum::<u32>(), 400_000);
        assert!(sizes[0] > sizes[1] && sizes[1] > sizes[299]);
        assert!(sizes.iter().all(|s| *s >= 10));
        assert_eq!(company_sizes(3, 600).iter().sum::<u32>(), 600);
    }

    #[test]
    fn the_network_framework_has_unique_uris_up_to_its_size() {
        let framework = network_framework(5_500);
        assert_eq!(framework.competencies.len(), 5_500);
        let uris: std::collections::BTreeSet<_> =
            framework.competencies.iter().map(|c| &c.uri).collect();
        assert_eq!(uris.len(), 5_500);
        // Beyond 20 × 25 × 12 = 6,000 combinations, parts keep the labels apart.
        let large = network_framework(7_000);
        let labels: std::collections::BTreeSet<_> = large
            .competencies
            .iter()
            .map(|c| c.labels["en"].preferred.clone())
            .collect();
        assert_eq!(labels.len(), 7_000);
    }
}

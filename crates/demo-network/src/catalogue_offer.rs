//! The catalogue of the demo network: for each company, opportunities of every modality aligned
//! to the skills its roles require; the example cmi5 and SCORM packages, offered by the retailer to
//! the whole network; external providers' paid offers; compliance training with recertification,
//! assigned with due dates; rooms and classroom sessions in the coming weeks with trainers and
//! enrolments.

use crate::companies::{DemoCompany, DemoNetworkWritten};
use crate::{DemoOptions, DemoSummary};
use anyhow::{anyhow, Context};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use mycel_app::assignments::{self, AssignTo};
use mycel_app::catalogue::{self as cat, Catalogue};
use mycel_app::{classroom, packages, Acting};
use mycel_catalogue::classroom::{RoomDraft, SessionDraft};
use mycel_catalogue::provider::ProviderDraft;
use mycel_catalogue::{Alignment, AudienceEntry, Cost, Lifecycle, Modality, OpportunityDraft};
use mycel_competency::scale::{Level, LocalizedText};
use mycel_organisation::{CompetencyId, OpportunityId, ProviderId, RoleId};
use mycel_store::Store;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};

/// Skills per role that get opportunities of their own.
const SKILLS_PER_ROLE: usize = 9;

/// An opportunity as the history needs it.
#[derive(Debug, Clone)]
pub struct OfferedOpportunity {
    pub id: OpportunityId,
    /// Index of the owning company.
    pub company: usize,
    pub modality: Modality,
    pub title: LocalizedText,
    pub duration_minutes: u32,
    pub teaches: Vec<CompetencyId>,
    /// Validity of a completion in months (compliance training).
    pub recertify_after_months: Option<u16>,
    /// Who it was assigned to (compliance): role keys, or all of the company when empty.
    pub assigned_roles: Vec<&'static str>,
    /// Offered to every member company.
    pub network_wide: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Offer {
    pub opportunities: Vec<OfferedOpportunity>,
}

impl Offer {
    /// The published opportunities a person of `company` may take.
    pub fn visible_to(&self, company: usize) -> impl Iterator<Item = &OfferedOpportunity> {
        self.opportunities
            .iter()
            .filter(move |o| o.company == company || o.network_wide)
    }
}

/// (German, English) title prefix, duration range in minutes, link path of a modality.
fn shape(modality: Modality) -> (&'static str, &'static str, (u32, u32), Option<&'static str>) {
    match modality {
        Modality::Video => ("Lernvideo", "Video", (10, 30), Some("videos")),
        Modality::Document => ("Leitfaden", "Guide", (20, 45), Some("leitfaeden")),
        Modality::WebLink => (
            "Online-Lernmodul",
            "Online module",
            (30, 90),
            Some("lernen"),
        ),
        Modality::Classroom => ("Seminar", "Seminar", (240, 480), None),
        Modality::Mentoring => ("Mentoring", "Mentoring", (120, 360), None),
        Modality::OnTheJob => ("Praxisaufgabe", "On-the-job task", (60, 240), None),
        Modality::Community => (
            "Erfahrungsaustausch",
            "Community of practice",
            (60, 120),
            None,
        ),
        Modality::ELearning => ("E-Learning", "E-learning", (20, 60), None),
        Modality::Blended => ("Lernprogramm", "Learning program", (480, 960), None),
    }
}

const ROTATION: [Modality; 7] = [
    Modality::Video,
    Modality::Classroom,
    Modality::Document,
    Modality::OnTheJob,
    Modality::WebLink,
    Modality::Mentoring,
    Modality::Community,
];

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn level(value: f64) -> anyhow::Result<Level> {
    Level::new(value).ok_or_else(|| anyhow!("level {value} is not on the scale"))
}

pub async fn write_catalogue(
    store: &dyn Store,
    catalogue: &Catalogue,
    network: &DemoNetworkWritten,
    options: &DemoOptions,
    summary: &mut DemoSummary,
) -> anyhow::Result<Offer> {
    let mut rng = StdRng::seed_from_u64(network.seed ^ 0xCA7A_1096);
    let mut offer = Offer::default();
    for (index, company) in network.companies.iter().enumerate() {
        tracing::info!(company = company.plan.slug, "demo: writing the catalogue");
        let providers = write_providers(store, company).await?;
        skill_opportunities(store, company, index, &providers, &mut rng, &mut offer).await?;
        compliance(store, network, company, index, &mut rng, &mut offer).await?;
    }
    example_packages(store, catalogue, network, options, &mut offer).await?;
    summary.opportunities = offer.opportunities.len();
    for (index, company) in network.companies.iter().enumerate() {
        sessions(
            store, catalogue, network, company, index, &offer, &mut rng, summary,
        )
        .await?;
    }
    Ok(offer)
}

async fn write_providers(
    store: &dyn Store,
    company: &DemoCompany,
) -> anyhow::Result<Vec<ProviderId>> {
    let mut ids = Vec::new();
    for (name, site) in [
        ("Akademie Nord für Handel und Logistik", "akademie-nord"),
        ("Hansa Weiterbildung GmbH", "hansa-weiterbildung"),
    ] {
        let provider = cat::create_provider(
            store,
            Acting::Operator,
            company.scope,
            &ProviderDraft {
                name: name.to_owned(),
                website: Some(format!("https://www.{site}.example")),
                contact_email: Some(format!("seminare@{site}.example")),
                terms: "Kostenfreie Stornierung bis 14 Tage vor Beginn; danach 50 %. \
                        Preise zzgl. MwSt., inklusive Unterlagen und Verpflegung."
                    .to_owned(),
            },
        )
        .await
        .context("cannot create a provider")?;
        ids.push(provider.id);
    }
    Ok(ids)
}

/// Publishes opportunities of a company through the store's bulk path (one transaction; the search
/// index is brought in step once at the end), after the rules every published opportunity follows.
async fn publish_all(
    store: &dyn Store,
    company: &DemoCompany,
    drafts: &[OpportunityDraft],
) -> anyhow::Result<Vec<OpportunityId>> {
    let mut rows = Vec::with_capacity(drafts.len());
    for draft in drafts {
        draft
            .validate(None)
            .and_then(|()| draft.check_publishable())
            .map_err(|e| anyhow!("the opportunity {:?} is invalid: {e}", draft.title.en))?;
        rows.push((draft.clone(), Lifecycle::Published));
    }
    store
        .import_opportunities(company.scope, &rows)
        .await
        .context("cannot write the opportunities")
}

/// For each role, the first skills of its profile each get an opportunity (the modality
/// rotates); the first few skills of each role also get an advanced one.
async fn skill_opportunities(
    store: &dyn Store,
    company: &DemoCompany,
    index: usize,
    providers: &[ProviderId],
    rng: &mut StdRng,
    offer: &mut Offer,
) -> anyhow::Result<()> {
    let mut wanted: Vec<(CompetencyId, &'static str, bool)> = Vec::new();
    let mut seen = BTreeSet::new();
    for role in company.roles.values() {
        for (n, (competency, _)) in role.required.iter().take(SKILLS_PER_ROLE).enumerate() {
            if seen.insert(*competency) {
                wanted.push((*competency, role.name, n < 3));
            }
        }
    }
    let ids: Vec<CompetencyId> = wanted.iter().map(|(c, _, _)| *c).collect();
    let records: BTreeMap<CompetencyId, _> = store
        .competencies(company.scope, &ids)
        .await
        .context("cannot read the roles' competencies")?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let audience_roles: BTreeMap<&str, RoleId> =
        company.roles.values().map(|r| (r.name, r.id)).collect();
    let mut drafts = Vec::new();
    let mut offered = Vec::new();
    for (n, (competency, role_name, deepen)) in wanted.iter().enumerate() {
        let Some(record) = records.get(competency) else {
            continue;
        };
        let en = record
            .labels
            .get("en")
            .map(|l| l.preferred.clone())
            .unwrap_or_else(|| record.uri.clone());
        let de = record
            .labels
            .get("de")
            .map_or_else(|| en.clone(), |l| l.preferred.clone());
        let variants: &[(f64, &str, &str)] = if *deepen {
            &[(2.0, "", ""), (4.0, " – Vertiefung", " – advanced")]
        } else {
            &[(3.0, "", "")]
        };
        for (v, (aligned, suffix_de, suffix_en)) in variants.iter().enumerate() {
            let modality = ROTATION[(n + v * 3) % ROTATION.len()];
            let (prefix_de, prefix_en, (low, high), link) = shape(modality);
            let duration = rng.gen_range(low..=high) / 5 * 5;
            let mut draft = OpportunityDraft::new(
                modality,
                LocalizedText::new(
                    format!("{prefix_de}: {}{suffix_de}", capitalised(&de)),
                    format!("{prefix_en}: {}{suffix_en}", capitalised(&en)),
                ),
                if rng.gen_bool(0.9) { "de" } else { "en" },
            );
            draft.description = LocalizedText::new(
                format!(
                    "Für {role_name} und alle, die es werden wollen: {de} – praxisnah, mit \
                     Beispielen aus dem Alltag von {}.",
                    company.plan.name
                ),
                format!(
                    "For {role_name} and everyone who wants to become one: {en}, practical, \
                     with examples from everyday work at {}.",
                    company.plan.name
                ),
            );
            draft.duration_minutes = Some(duration.max(5));
            draft.alignments = vec![Alignment {
                competency_id: *competency,
                level: level(*aligned)?,
            }];
            if let Some(path) = link {
                draft.link = Some(format!(
                    "https://intranet.{}/{path}/{}",
                    company.plan.domain,
                    n * 2 + v + 1
                ));
            }
            if modality == Modality::Classroom && n % 3 == 1 {
                draft.provider_id = providers.get(n % providers.len()).copied();
                draft.cost = Some(Cost {
                    cents: rng.gen_range(19..=89) * 1000,
                    currency: "EUR".to_owned(),
                });
            }
            // Advanced offers of a role are for the role; the rest for everyone of the company.
            if *aligned > 3.0 {
                if let Some(role) = audience_roles.get(role_name) {
                    draft.audience = vec![AudienceEntry::Role(*role)];
                }
            }
            // The head office's classroom courses are open to the whole cooperative.
            let network_wide = index == 0 && modality == Modality::Classroom && n % 4 == 0;
            if network_wide {
                draft.audience = vec![AudienceEntry::Network];
            }
            offered.push(OfferedOpportunity {
                id: OpportunityId::from_uuid(uuid::Uuid::nil()),
                company: index,
                modality,
                title: draft.title.clone(),
                duration_minutes: duration.max(5),
                teaches: vec![*competency],
                recertify_after_months: None,
                assigned_roles: Vec::new(),
                network_wide,
            });
            drafts.push(draft);
        }
    }
    let ids = publish_all(store, company, &drafts).await?;
    for (mut opportunity, id) in offered.into_iter().zip(ids) {
        opportunity.id = id;
        offer.opportunities.push(opportunity);
    }
    Ok(())
}

/// Compliance training ("Pflichtschulungen") with recertification, assigned with due dates.
async fn compliance(
    store: &dyn Store,
    network: &DemoNetworkWritten,
    company: &DemoCompany,
    index: usize,
    rng: &mut StdRng,
    offer: &mut Offer,
) -> anyhow::Result<()> {
    let mut courses: Vec<(&str, &str, u16, Vec<&'static str>)> = vec![
        (
            "Arbeitsschutz-Unterweisung",
            "Occupational safety briefing",
            12,
            vec![],
        ),
        (
            "Datenschutz im Arbeitsalltag",
            "Data protection at work",
            24,
            vec![],
        ),
    ];
    match company.plan.slug {
        "frischmarkt" => {
            courses.push((
                "Hygieneschulung nach LMHV",
                "Food hygiene training (LMHV)",
                12,
                vec!["shop", "butcher", "store-manager"],
            ));
            courses.push((
                "Jugendschutz an der Kasse",
                "Protection of minors at the till",
                12,
                vec!["cashier"],
            ));
        }
        "nordwaren" => courses.push((
            "Unterweisung Flurförderzeuge (DGUV G 308-001)",
            "Forklift safety briefing (DGUV G 308-001)",
            12,
            vec!["forklift", "warehouse"],
        )),
        _ => {
            courses.push((
                "Ladungssicherung",
                "Load securing",
                12,
                vec!["driver", "forklift"],
            ));
            courses.push((
                "Gefahrgut-Unterweisung (ADR 1.3)",
                "Dangerous goods briefing (ADR 1.3)",
                24,
                vec!["driver", "dispatcher"],
            ));
        }
    }
    let today = network.now.date_naive();
    for (n, (de, en, months, roles)) in courses.into_iter().enumerate() {
        let mut draft = OpportunityDraft::new(Modality::WebLink, LocalizedText::new(de, en), "de");
        draft.description = LocalizedText::new(
            format!("Pflichtschulung: {de}. Alle {months} Monate zu wiederholen."),
            format!("Mandatory training: {en}. To be repeated every {months} months."),
        );
        draft.duration_minutes = Some(30 + 15 * (n as u32 % 3));
        draft.recertify_after_months = Some(months);
        draft.link = Some(format!(
            "https://intranet.{}/pflichtschulungen/{}",
            company.plan.domain,
            n + 1
        ));
        let id = publish_all(store, company, std::slice::from_ref(&draft))
            .await?
            .pop()
            .ok_or_else(|| anyhow!("no id for {en}"))?;
        let to = if roles.is_empty() {
            AssignTo {
                people: Vec::new(),
                roles: Vec::new(),
                org_units: vec![company.units[0]],
            }
        } else {
            AssignTo {
                people: Vec::new(),
                roles: roles
                    .iter()
                    .filter_map(|r| company.roles.get(r).map(|role| role.id))
                    .collect(),
                org_units: Vec::new(),
            }
        };
        let due = today + Duration::days(rng.gen_range(14..75));
        assignments::assign(store, Acting::Operator, company.scope, id, &to, Some(due))
            .await
            .with_context(|| format!("cannot assign {en}"))?;
        offer.opportunities.push(OfferedOpportunity {
            id,
            company: index,
            modality: Modality::WebLink,
            title: draft.title.clone(),
            duration_minutes: draft.duration_minutes.unwrap_or(30),
            teaches: Vec::new(),
            recertify_after_months: Some(months),
            assigned_roles: roles,
            network_wide: false,
        });
    }
    Ok(())
}

/// The example cmi5 and SCORM packages from the shared data, uploaded by the retailer's academy
/// and offered to the whole network.
async fn example_packages(
    store: &dyn Store,
    catalogue: &Catalogue,
    network: &DemoNetworkWritten,
    options: &DemoOptions,
    offer: &mut Offer,
) -> anyhow::Result<()> {
    let company = &network.companies[0];
    let teaches: Vec<CompetencyId> = company
        .roles
        .get("shop")
        .map(|r| r.required.iter().skip(1).take(1).map(|(c, _)| *c).collect())
        .unwrap_or_default();
    let packages = [
        (
            "cmi5/single_au_basic_framed.zip",
            "cmi5-Beispielkurs: Ein Lernvideo mit Nachverfolgung",
            "cmi5 example course: a tracked video lesson",
            true,
        ),
        (
            "scorm/singlescobasic.zip",
            "SCORM-1.2-Beispielkurs: Golf-Grundlagen",
            "SCORM 1.2 example course: golf basics",
            false,
        ),
        (
            "scorm/RuntimeBasicCalls_SCORM20043rdEdition.zip",
            "SCORM-2004-Beispielkurs: Golf-Regeln und -Etikette",
            "SCORM 2004 example course: golf rules and etiquette",
            false,
        ),
    ];
    for (file, de, en, aligned) in packages {
        let path = options.shared_data.join("packages").join(file);
        let bytes = tokio::fs::read(&path)
            .await
            .with_context(|| format!("cannot read the example package {}", path.display()))?;
        let uploaded = packages::upload_package(
            store,
            catalogue,
            Acting::Operator,
            company.scope,
            None,
            bytes,
        )
        .await
        .map_err(|e| anyhow!("the example package {file} was refused: {e}"))?;
        let mut draft = uploaded.opportunity.draft.clone();
        draft.title = LocalizedText::new(de, en);
        draft.description = LocalizedText::new(
            "Ein Beispielpaket aus den offenen Testkursen der Branche (ADL, Rustici), mit dem \
             Mycel das Abspielen und Nachverfolgen von E-Learning zeigt.",
            "An example package from the field's open test courses (ADL, Rustici), with which \
             Mycel shows how e-learning is played and tracked.",
        );
        draft.duration_minutes = Some(15);
        draft.audience = vec![AudienceEntry::Network];
        if aligned {
            draft.alignments = teaches
                .iter()
                .map(|c| {
                    Ok(Alignment {
                        competency_id: *c,
                        level: level(2.0)?,
                    })
                })
                .collect::<anyhow::Result<_>>()?;
        }
        let id = uploaded.opportunity.id;
        cat::update_opportunity(
            store,
            catalogue,
            Acting::Operator,
            company.scope,
            id,
            &draft,
        )
        .await
        .with_context(|| format!("cannot describe the example package {file}"))?;
        cat::set_lifecycle(
            store,
            catalogue,
            Acting::Operator,
            company.scope,
            id,
            Lifecycle::Published,
        )
        .await
        .with_context(|| format!("cannot publish the example package {file}"))?;
        offer.opportunities.push(OfferedOpportunity {
            id,
            company: 0,
            modality: Modality::ELearning,
            title: draft.title.clone(),
            duration_minutes: 15,
            teaches: draft.alignments.iter().map(|a| a.competency_id).collect(),
            recertify_after_months: None,
            assigned_roles: Vec::new(),
            network_wide: true,
        });
    }
    Ok(())
}

/// The working day `weeks` weeks and `day` days from the Monday of `today`'s week, at 09:00 in
/// Germany (08:00 UTC in winter; close enough for a demo in any season).
fn session_start(today: NaiveDate, weeks: i64, day: i64) -> Option<DateTime<Utc>> {
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let date = monday + Duration::weeks(weeks) + Duration::days(day);
    Utc.from_local_datetime(&date.and_hms_opt(8, 0, 0)?)
        .single()
}

/// Two rooms per company; each classroom course gets two sessions in the coming weeks with a
/// trainer, and people whose role needs what it teaches enrol.
#[allow(clippy::too_many_arguments)]
async fn sessions(
    store: &dyn Store,
    catalogue: &Catalogue,
    network: &DemoNetworkWritten,
    company: &DemoCompany,
    index: usize,
    offer: &Offer,
    rng: &mut StdRng,
    summary: &mut DemoSummary,
) -> anyhow::Result<()> {
    let mut rooms = Vec::new();
    for (name, capacity) in [("Schulungsraum 1", 16), ("Schulungsraum 2", 10)] {
        let room = classroom::create_room(
            store,
            Acting::Operator,
            company.scope,
            &RoomDraft {
                name: name.to_owned(),
                location: format!("{}, {}", company.plan.name, company.plan.city),
                capacity,
            },
        )
        .await
        .context("cannot create a room")?;
        rooms.push(room);
    }
    let trainers: Vec<_> = company
        .with_grant(mycel_organisation::AccessRole::Trainer)
        .map(|p| p.id)
        .collect();
    let today = network.now.date_naive();
    let courses: Vec<&OfferedOpportunity> = offer
        .opportunities
        .iter()
        .filter(|o| o.company == index && o.modality == Modality::Classroom)
        .collect();
    // Each room holds one session a day: slot k is room k % 2 on the (k / 2)-th working day from
    // next week on.
    let mut slot = 0i64;
    for (n, course) in courses.iter().enumerate() {
        // One enrolment per person and course.
        let mut enrolled = BTreeSet::new();
        for _run in 0..2 {
            let day = slot / rooms.len() as i64;
            let in_room = (slot % rooms.len() as i64) as usize;
            let room = &rooms[in_room];
            slot += 1;
            // Trainers of the same day differ (with a single trainer, the second room goes
            // without one).
            let trainer = match trainers.len() {
                0 => None,
                1 => (in_room == 0).then(|| trainers[0]),
                len => Some(trainers[(in_room + day as usize) % len]),
            };
            let Some(starts_at) = session_start(today, 1 + day / 5, day % 5) else {
                continue;
            };
            let hours = i64::from(course.duration_minutes.div_ceil(60)).clamp(2, 8);
            let draft = SessionDraft {
                starts_at,
                ends_at: starts_at + Duration::hours(hours),
                location: String::new(),
                room_id: Some(room.id),
                trainer_id: trainer,
                online_link: None,
                capacity: room.draft.capacity.min(12),
                requires_approval: n % 3 == 1,
                cancellation_deadline: None,
            };
            let session = classroom::create_session(
                store,
                catalogue,
                Acting::Operator,
                company.scope,
                course.id,
                &draft,
            )
            .await
            .with_context(|| format!("cannot plan a session of {}", course.title.en))?;
            summary.sessions += 1;
            // People whose roles need what the course teaches enrol, a few per session.
            let mut candidates: Vec<_> = company
                .people
                .iter()
                .filter(|p| {
                    !p.login
                        && company.roles.get(p.role).is_some_and(|r| {
                            r.required.iter().any(|(c, _)| course.teaches.contains(c))
                        })
                })
                .collect();
            candidates.shuffle(rng);
            candidates.retain(|p| !enrolled.contains(&p.id));
            candidates.truncate(rng.gen_range(2..7));
            for person in candidates {
                classroom::enrol(
                    store,
                    Acting::Operator,
                    company.scope,
                    session.id,
                    person.id,
                )
                .await
                .context("cannot enrol a person in a session")?;
                enrolled.insert(person.id);
                summary.enrolments += 1;
            }
        }
    }
    Ok(())
}

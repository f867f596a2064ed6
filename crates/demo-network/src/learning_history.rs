//! Six months of learning in the demo network: xAPI statements of completed, attended, passed and
//! failed opportunities (compliance training up to thirteen months back, so that some
//! certifications are due or expired), managers' and self-assessments, journal entries (some
//! shared and confirmed), personal learning goals and shared profiles. The statements go through
//! the LRS; the change-feed readers then turn them into completions, certifications and evidence,
//! as they do in production, and the estimates are computed from all evidence at the end.

use crate::catalogue_offer::{Offer, OfferedOpportunity};
use crate::companies::{DemoCompany, DemoNetworkWritten, DemoPerson};
use crate::{DemoOptions, DemoSummary};
use anyhow::{anyhow, Context};
use chrono::{DateTime, Duration, Utc};
use mycel_app::competencies as comp;
use mycel_app::journal::{self, JournalCompetency, JournalInput};
use mycel_app::lrs::record_own_statements;
use mycel_app::statement_feed::StatementSignal;
use mycel_app::{assignments, statement_evidence, Acting};
use mycel_catalogue::Modality;
use mycel_competency::scale::Level;
use mycel_competency::{Evidence, EvidenceKind};
use mycel_organisation::{EvidenceId, Principal};
use mycel_store::Store;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

/// Statements per LRS write.
const STATEMENTS_PER_WRITE: usize = 250;

const VERB_COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
const VERB_ATTENDED: &str = "http://adlnet.gov/expapi/verbs/attended";
const VERB_PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
const VERB_FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
const VERB_LAUNCHED: &str = "http://adlnet.gov/expapi/verbs/launched";

const JOURNAL_TOPICS: [(&str, &str); 6] = [
    (
        "Neue Kollegin eingearbeitet",
        "Ich habe einer neuen Kollegin die Abläufe gezeigt und gemerkt, wo ich selbst unsicher bin.",
    ),
    (
        "Reklamation gelöst",
        "Ein Kunde war verärgert; ruhig zuhören und eine Lösung anbieten hat geholfen.",
    ),
    (
        "Inventur mitgemacht",
        "Bei der Inventur habe ich die Zählliste und das Scannen geübt.",
    ),
    (
        "Fachartikel gelesen",
        "Ein Artikel aus der Fachzeitschrift hat mir neue Ideen für meine Arbeit gegeben.",
    ),
    (
        "Schichtübergabe verbessert",
        "Wir haben eine Checkliste für die Übergabe eingeführt; weniger geht verloren.",
    ),
    (
        "Webinar besucht",
        "Im Webinar ging es um neue Vorschriften; die wichtigsten Punkte habe ich notiert.",
    ),
];

fn level(value: f64) -> anyhow::Result<Level> {
    Level::new((value.clamp(0.0, 4.0) * 100.0).round() / 100.0)
        .ok_or_else(|| anyhow!("level {value} is not on the scale"))
}

fn principal(company: &DemoCompany, person: &DemoPerson) -> Principal {
    Principal::Person {
        tenant_id: company.scope.tenant_id(),
        person_id: person.id,
        grants: person.grants.clone(),
    }
}

pub async fn write_history(
    store: &dyn Store,
    network: &DemoNetworkWritten,
    offer: &Offer,
    options: &DemoOptions,
    summary: &mut DemoSummary,
) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(network.seed ^ 0x4157_0123);
    let signal = StatementSignal::default();
    for (index, company) in network.companies.iter().enumerate() {
        tracing::info!(
            company = company.plan.slug,
            "demo: writing the learning history"
        );
        let statements = statements(network, company, index, offer, options, &mut rng)?;
        summary.statements += statements.len();
        for chunk in statements.chunks(STATEMENTS_PER_WRITE) {
            record_own_statements(
                store,
                company.scope,
                &options.home_page,
                chunk.to_vec(),
                &signal,
                "demo history",
            )
            .await
            .context("cannot store the demo history's statements")?;
        }
        summary.evidence += assessments(store, network, company, &mut rng).await?;
        summary.journal_entries +=
            journal_entries(store, network, company, options, &signal, &mut rng).await?;
        goals_and_sharing(store, company, &mut rng).await?;
        // The change-feed readers turn the statements into completions, certifications and
        // evidence, as the server does while it runs.
        assignments::catch_up(store, company.scope)
            .await
            .context("cannot turn the history into completions")?;
        statement_evidence::catch_up(store, company.scope)
            .await
            .context("cannot turn the history into evidence")?;
        comp::refresh_estimates(store, company.scope)
            .await
            .context("cannot compute the estimates")?;
    }
    Ok(())
}

fn actor(person: &DemoPerson) -> Value {
    json!({
        "objectType": "Agent",
        "name": person.name,
        "mbox": format!("mailto:{}", person.email),
    })
}

fn statement(
    rng: &mut StdRng,
    person: &DemoPerson,
    opportunity: &OfferedOpportunity,
    activity: &str,
    verb: &str,
    at: DateTime<Utc>,
    result: Option<Value>,
) -> Value {
    let display = verb.rsplit('/').next().unwrap_or(verb);
    let mut statement = json!({
        "id": uuid::Builder::from_random_bytes(rng.gen()).into_uuid().to_string(),
        "actor": actor(person),
        "verb": { "id": verb, "display": { "en-US": display } },
        "object": {
            "objectType": "Activity",
            "id": activity,
            "definition": {
                "name": {
                    "de-DE": opportunity.title.de,
                    "en-US": opportunity.title.en,
                },
                "type": "http://adlnet.gov/expapi/activities/course",
            },
        },
        "context": { "platform": "Mycel", "language": "de-DE" },
        "timestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    });
    if let (Some(result), Some(object)) = (result, statement.as_object_mut()) {
        object.insert("result".to_owned(), result);
    }
    statement
}

/// Learning of the last six months (compliance: up to thirteen months) as statements.
fn statements(
    network: &DemoNetworkWritten,
    company: &DemoCompany,
    index: usize,
    offer: &Offer,
    options: &DemoOptions,
    rng: &mut StdRng,
) -> anyhow::Result<Vec<Value>> {
    let now = network.now;
    let visible: Vec<&OfferedOpportunity> = offer.visible_to(index).collect();
    let mut out = Vec::new();
    for person in company.people.iter().filter(|p| !p.new_hire) {
        let role = &company.roles[person.role];
        // What teaches the person's role's skills, and other things they found on their own.
        let mut relevant: Vec<&&OfferedOpportunity> = visible
            .iter()
            .filter(|o| {
                o.recertify_after_months.is_none()
                    && o.teaches
                        .iter()
                        .any(|c| role.required.iter().any(|(r, _)| r == c))
            })
            .collect();
        relevant.shuffle(rng);
        let taken = if person.login {
            3
        } else {
            rng.gen_range(0..=6)
        };
        for opportunity in relevant.into_iter().take(taken) {
            let activity = mycel_app::catalogue::activity_id(&options.home_page, opportunity.id);
            let at = now - Duration::minutes(rng.gen_range(60 * 24..182 * 24 * 60));
            let minutes = i64::from(opportunity.duration_minutes);
            let duration = format!("PT{minutes}M");
            match opportunity.modality {
                Modality::Classroom => out.push(statement(
                    rng,
                    person,
                    opportunity,
                    &activity,
                    VERB_ATTENDED,
                    at,
                    Some(json!({ "completion": true, "duration": duration })),
                )),
                Modality::ELearning => {
                    let scaled = f64::from(rng.gen_range(40..=100u32)) / 100.0;
                    out.push(statement(
                        rng,
                        person,
                        opportunity,
                        &activity,
                        VERB_LAUNCHED,
                        at - Duration::minutes(minutes),
                        None,
                    ));
                    let verb = if scaled >= 0.6 {
                        VERB_PASSED
                    } else {
                        VERB_FAILED
                    };
                    out.push(statement(
                        rng,
                        person,
                        opportunity,
                        &activity,
                        verb,
                        at,
                        Some(json!({
                            "score": { "scaled": scaled },
                            "success": scaled >= 0.6,
                            "completion": true,
                            "duration": duration,
                        })),
                    ));
                }
                _ => out.push(statement(
                    rng,
                    person,
                    opportunity,
                    &activity,
                    VERB_COMPLETED,
                    at,
                    Some(json!({ "completion": true, "duration": duration })),
                )),
            }
        }
        // Compliance training: most did it in the last year or so; some of it runs out soon, some
        // ran out, some never did it.
        for course in visible.iter().filter(|o| {
            o.company == index
                && o.recertify_after_months.is_some()
                && (o.assigned_roles.is_empty() || o.assigned_roles.contains(&person.role))
        }) {
            if !rng.gen_bool(0.85) {
                continue;
            }
            let days = rng.gen_range(20..400);
            let activity = mycel_app::catalogue::activity_id(&options.home_page, course.id);
            out.push(statement(
                rng,
                person,
                course,
                &activity,
                VERB_COMPLETED,
                now - Duration::days(days),
                Some(json!({ "completion": true })),
            ));
        }
    }
    Ok(out)
}

/// Managers rate about half of their reports on three skills of their role; about a third of
/// people rate themselves.
async fn assessments(
    store: &dyn Store,
    network: &DemoNetworkWritten,
    company: &DemoCompany,
    rng: &mut StdRng,
) -> anyhow::Result<usize> {
    let mut evidence = Vec::new();
    for person in &company.people {
        let role = &company.roles[person.role];
        let mut skills: Vec<_> = role.required.iter().take(12).collect();
        skills.shuffle(rng);
        let by_manager = person.manager.filter(|_| person.login || rng.gen_bool(0.5));
        let by_self = person.login || rng.gen_bool(0.3);
        for (competency, target) in skills.into_iter().take(3) {
            let observed_at = network.now - Duration::days(rng.gen_range(5..120));
            let around = target.value() + rng.gen_range(-2.0..0.5);
            if let Some(manager) = by_manager {
                evidence.push(Evidence {
                    id: EvidenceId::generate(),
                    person_id: person.id,
                    competency_id: *competency,
                    kind: EvidenceKind::ManagerAssessment,
                    level: level(around.round())?,
                    observed_at,
                    author_id: Some(manager),
                    source: "Mitarbeitergespräch".to_owned(),
                    link: None,
                    note: None,
                    recorded_at: observed_at,
                });
            }
            if by_self {
                evidence.push(Evidence {
                    id: EvidenceId::generate(),
                    person_id: person.id,
                    competency_id: *competency,
                    kind: EvidenceKind::SelfAssessment,
                    level: level((around + rng.gen_range(-0.5..1.0)).round())?,
                    observed_at,
                    author_id: Some(person.id),
                    source: "Selbsteinschätzung".to_owned(),
                    link: None,
                    note: None,
                    recorded_at: observed_at,
                });
            }
        }
    }
    let count = evidence.len();
    store
        .add_evidence(company.scope, &evidence)
        .await
        .context("cannot write the assessments")?;
    Ok(count)
}

/// Journal entries of about one in ten people (the logins among them); half are shared, and the
/// manager confirmed some of the shared ones.
async fn journal_entries(
    store: &dyn Store,
    network: &DemoNetworkWritten,
    company: &DemoCompany,
    options: &DemoOptions,
    signal: &StatementSignal,
    rng: &mut StdRng,
) -> anyhow::Result<usize> {
    let mut count = 0;
    let writers: Vec<&DemoPerson> = company
        .people
        .iter()
        .filter(|p| !p.new_hire && (p.login || rng.gen_bool(0.1)))
        .collect();
    for person in writers {
        let role = &company.roles[person.role];
        let me = principal(company, person);
        for n in 0..rng.gen_range(1..=2) {
            let Some((competency, _)) = role
                .required
                .get(rng.gen_range(0..role.required.len().max(1)))
            else {
                continue;
            };
            let (title, reflection) = JOURNAL_TOPICS[rng.gen_range(0..JOURNAL_TOPICS.len())];
            let shared = n == 0 || rng.gen_bool(0.5);
            let entry = journal::create_entry(
                store,
                Acting::Principal(&me),
                company.scope,
                signal,
                &options.home_page,
                JournalInput {
                    title: title.to_owned(),
                    learned_on: network.now.date_naive() - Duration::days(rng.gen_range(1..150)),
                    minutes: rng.gen_range(2..12) * 15,
                    competencies: vec![JournalCompetency {
                        competency_id: *competency,
                        level: f64::from(rng.gen_range(1..=3u8)),
                    }],
                    reflection: reflection.to_owned(),
                    shared,
                },
            )
            .await
            .context("cannot write a journal entry")?;
            count += 1;
            // The login learner's first entry waits for her manager's confirmation.
            let confirm = shared && !person.login && rng.gen_bool(0.5);
            if let (true, Some(manager_id)) = (confirm, person.manager) {
                let Some(manager) = company.people.iter().find(|p| p.id == manager_id) else {
                    continue;
                };
                let acting = principal(company, manager);
                journal::confirm_entry(
                    store,
                    Acting::Principal(&acting),
                    company.scope,
                    &options.home_page,
                    person.id,
                    entry.record.id,
                )
                .await
                .context("cannot confirm a journal entry")?;
            }
        }
    }
    Ok(count)
}

/// Personal learning goals of some people (the logins among them), and shared profiles of most
/// (so that colleagues who can help are found).
async fn goals_and_sharing(
    store: &dyn Store,
    company: &DemoCompany,
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    for person in &company.people {
        let me = principal(company, person);
        if person.login || rng.gen_bool(0.6) {
            comp::set_profile_shared(store, &me, company.scope, true)
                .await
                .context("cannot share a profile")?;
        }
        if person.login || rng.gen_bool(0.12) {
            let role = &company.roles[person.role];
            if let Some((competency, _)) = role.required.get(role.required.len().min(12) / 2) {
                let due = chrono::Utc::now().date_naive() + Duration::days(rng.gen_range(60..240));
                comp::create_learning_goal(store, &me, company.scope, *competency, 4.0, Some(due))
                    .await
                    .context("cannot set a learning goal")?;
            }
        }
    }
    Ok(())
}

//! Learning in the flow of work: another tool of the network (an intranet search, a chat bot, the
//! till's help button) asks with a competency or a question in words ("wie plane ich ein
//! Regallayout") and gets the short learning opportunities that teach it and the colleagues who
//! can help: people of the same company who share their competency profile and whose estimated
//! level in it is high. People who do not share their profile are never named.

use crate::catalogue::{self, Catalogue, CompetencySuggestion, SuggestionRequest};
use crate::organisation::audit_read;
use crate::{Acting, AppError, AppResult};
use mycel_catalogue::Lifecycle;
use mycel_organisation::{Action, CompetencyId, PersonId, Principal, ValidationError};
use mycel_store::catalogue::OpportunityRecord;
use mycel_store::competencies::CompetencyRecord;
use mycel_store::{Store, TenantScope};

/// At most this long (minutes) counts as short enough for the flow of work.
pub const SHORT_MINUTES: u32 = 60;
/// The level from which a colleague can help (3: advanced on the default scale).
pub const HELPER_LEVEL: f64 = 3.0;
/// Competencies read from a question.
const TEXT_COMPETENCIES: usize = 3;
/// Opportunities and colleagues answered, at most.
const ANSWERS: usize = 10;

/// What is asked: a competency, or a question in words (in `language` if known).
#[derive(Debug, Clone, PartialEq)]
pub enum HelpQuestion {
    Competency(CompetencyId),
    Text {
        text: String,
        language: Option<String>,
    },
}

/// A colleague who can help.
#[derive(Debug, Clone, PartialEq)]
pub struct Helper {
    pub person_id: PersonId,
    pub display_name: String,
    pub competency_id: CompetencyId,
    pub level: f64,
}

/// The answer.
#[derive(Debug, Clone)]
pub struct HelpAnswer {
    /// The competencies the question is about (one when asked by competency).
    pub competencies: Vec<CompetencyRecord>,
    /// Short published opportunities the asker may see that teach one of them, shortest first.
    pub opportunities: Vec<OpportunityRecord>,
    /// Colleagues who can help, best first (not the asker).
    pub helpers: Vec<Helper>,
}

/// Answers a question. People of the company ask for themselves; a machine client needs the
/// catalogue's read scope for opportunities and the organisation's read scope for colleagues.
pub async fn help(
    store: &dyn Store,
    catalogue: &Catalogue,
    acting: Acting<'_>,
    scope: TenantScope,
    question: HelpQuestion,
) -> AppResult<HelpAnswer> {
    acting.require(Action::ViewCatalogue)?;
    let competencies: Vec<CompetencyRecord> = match question {
        HelpQuestion::Competency(id) => {
            let found = store.competencies(scope, &[id]).await?;
            if found.is_empty() {
                return Err(AppError::NotFound("competency"));
            }
            found
        }
        HelpQuestion::Text { text, language } => {
            let text = text.trim().to_owned();
            if text.is_empty() || text.chars().count() > 500 {
                return Err(ValidationError::new(
                    "text",
                    "ask in a few words (at most 500 characters)",
                )
                .into());
            }
            catalogue::competencies_in_text(
                store,
                catalogue,
                scope,
                SuggestionRequest {
                    title: text,
                    description: String::new(),
                    language,
                    limit: TEXT_COMPETENCIES,
                },
            )
            .await?
            .into_iter()
            .map(|CompetencySuggestion { competency, .. }| competency)
            .collect()
        }
    };
    let ids: Vec<CompetencyId> = competencies.iter().map(|c| c.id).collect();

    // Opportunities: the catalogue's visibility rule for the asker, short ones, shortest first.
    let asker = match acting {
        Acting::Principal(Principal::Person {
            person_id,
            tenant_id,
            ..
        }) if *tenant_id == scope.tenant_id() => Some(*person_id),
        _ => None,
    };
    let viewer = catalogue::viewer(store, acting, scope).await?;
    let mut opportunities: Vec<OpportunityRecord> = if ids.is_empty() {
        Vec::new()
    } else {
        let teaching = store.opportunities_teaching(scope, &ids).await?;
        store
            .opportunities_by_id(scope, &teaching)
            .await?
            .into_iter()
            .filter(|o| o.lifecycle == Lifecycle::Published)
            .filter(|o| viewer.admitted_by(o.tenant_id, &o.draft.audience))
            .filter(|o| o.draft.duration_minutes.is_some_and(|m| m <= SHORT_MINUTES))
            .collect()
    };
    opportunities.sort_by_key(|o| (o.draft.duration_minutes, o.id));
    opportunities.truncate(ANSWERS);

    // Colleagues: only for the company's own people or clients that may read the organisation.
    let may_name_people = asker.is_some() || acting.permits(Action::ListPeople { unit_path: None });
    let mut helpers = Vec::new();
    if may_name_people {
        for competency in &ids {
            let found = store
                .colleagues_with_level(scope, *competency, HELPER_LEVEL, ANSWERS as u32 + 1)
                .await?;
            for (person_id, level) in found {
                if Some(person_id) == asker
                    || helpers.iter().any(|h: &Helper| h.person_id == person_id)
                {
                    continue;
                }
                let person = store.person(scope, person_id).await?;
                helpers.push(Helper {
                    person_id,
                    display_name: person.display_name,
                    competency_id: *competency,
                    level,
                });
            }
        }
        helpers.sort_by(|a, b| {
            b.level
                .total_cmp(&a.level)
                .then(a.person_id.cmp(&b.person_id))
        });
        helpers.truncate(ANSWERS);
        if !helpers.is_empty() {
            // Naming who is good at what reads shared profiles: logged like any such read.
            audit_read(
                store,
                acting,
                scope,
                None,
                "competency-helpers.read",
                "learning in the flow of work",
            )
            .await?;
        }
    }
    Ok(HelpAnswer {
        competencies,
        opportunities,
        helpers,
    })
}

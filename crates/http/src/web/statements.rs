//! The administration's view of the learning record store: a tenant's statements, newest first,
//! filtered by person, verb, activity or registration, page by page. Learning records are personal
//! data, so each look is written to the audit log.

use super::admin::tenant_of;
use super::{error_response, PersonPage, Shell};
use crate::AppState;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use mycel_app::lrs::{self, LrsClient, LrsError, StatementFilter};
use mycel_store::{Actor, NewAuditEntry};
use serde::Deserialize;
use serde_json::Value;

const PAGE_SIZE: u32 = 50;

#[derive(Deserialize, Default)]
struct Params {
    #[serde(default)]
    tenant: String,
    #[serde(default)]
    agent: String,
    #[serde(default)]
    verb: String,
    #[serde(default)]
    activity: String,
    #[serde(default)]
    registration: String,
    #[serde(default)]
    more: String,
}

struct Row {
    stored: String,
    actor: String,
    verb: String,
    object: String,
    result: String,
}

#[derive(Template)]
#[template(path = "admin_statements.html")]
struct StatementsPage<'a> {
    shell: &'a Shell,
    heading: String,
    tenant_slug: String,
    error: Option<String>,
    filter_agent: String,
    filter_verb: String,
    filter_activity: String,
    filter_registration: String,
    rows: Vec<Row>,
    next: Option<String>,
}

/// The filter the form describes; an e-mail address stands for the agent with that mbox.
fn filter(params: &Params) -> Result<StatementFilter, String> {
    let agent = match params.agent.trim() {
        "" => None,
        text if text.starts_with('{') => Some(
            mycel_xapi::parse_agent_param(text)
                .map_err(|e| e.to_string())?
                .canonical(),
        ),
        email => {
            let email =
                mycel_organisation::validate::email("agent", email).map_err(|e| e.to_string())?;
            Some(mycel_xapi::AgentKey::Mbox(format!("mailto:{email}")).canonical())
        }
    };
    let iri = |value: &str, name: &str| match value.trim() {
        "" => Ok(None),
        v if mycel_xapi::datatypes::is_iri(v) => Ok(Some(v.to_owned())),
        v => Err(format!("{name}: {v:?} is not an IRI")),
    };
    let registration = match params.registration.trim() {
        "" => None,
        r => Some(mycel_xapi::parse_uuid(r).map_err(|e| format!("registration: {e}"))?),
    };
    Ok(StatementFilter {
        agent,
        verb: iri(&params.verb, "verb")?,
        activity: iri(&params.activity, "activity")?,
        registration,
        limit: PAGE_SIZE,
        ..StatementFilter::default()
    })
}

/// A language map's text in the page's language, else any.
fn text_of(map: Option<&Value>, lang: &str) -> Option<String> {
    let map = map?.as_object()?;
    let languages = [lang.to_owned(), "en-US".into(), "en".into()];
    mycel_xapi::best_language(map, &languages)
        .and_then(|key| map.get(key))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn row(statement: &Value, lang: &str) -> Row {
    let actor = &statement["actor"];
    let actor = actor["name"]
        .as_str()
        .or(actor["mbox"]
            .as_str()
            .map(|m| m.trim_start_matches("mailto:")))
        .or(actor["account"]["name"].as_str())
        .unwrap_or("–")
        .to_owned();
    let verb = text_of(statement.pointer("/verb/display"), lang)
        .unwrap_or_else(|| statement["verb"]["id"].as_str().unwrap_or("–").to_owned());
    let object = text_of(statement.pointer("/object/definition/name"), lang)
        .or_else(|| statement["object"]["id"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "–".to_owned());
    let result = &statement["result"];
    let mut parts = Vec::new();
    if let Some(success) = result["success"].as_bool() {
        parts.push(if success {
            "✓".to_owned()
        } else {
            "✗".to_owned()
        });
    }
    if let Some(scaled) = result["score"]["scaled"].as_f64() {
        parts.push(format!("{:.0} %", scaled * 100.0));
    }
    Row {
        stored: statement["stored"]
            .as_str()
            .unwrap_or("")
            .replace('T', " ")
            .chars()
            .take(19)
            .collect(),
        actor,
        verb,
        object,
        result: parts.join(" "),
    }
}

pub async fn browse(
    State(state): State<AppState>,
    page: PersonPage,
    RawQuery(query): RawQuery,
) -> Response {
    let params: Params = query
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    let (tenant, scope) = match tenant_of(&state, &page, Some(&params.tenant)).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let shell = &page.shell;
    if let Some(person) = &page.caller.person {
        let entry = NewAuditEntry {
            actor: Actor::Person(person.id),
            subject: None,
            action: "statements.browse".into(),
            purpose: "LRS administration".into(),
        };
        if let Err(error) = state.store.append_audit(scope, entry).await {
            return error_response(shell, &error.into());
        }
    }
    let client = LrsClient::reader(scope);
    let result = if params.more.is_empty() {
        match filter(&params) {
            Ok(filter) => lrs::find_statements(&*state.store, &client, filter).await,
            Err(reason) => Err(LrsError::BadRequest(reason)),
        }
    } else {
        lrs::more_statements(&*state.store, &client, &params.more).await
    };
    let (status, rows, next, error) = match result {
        Ok(found) => {
            let rows = found
                .statements
                .iter()
                .filter_map(|s| serde_json::from_str::<Value>(&s.json).ok())
                .map(|s| row(&s, shell.t.code()))
                .collect();
            let next = found.more.map(|token| {
                format!(
                    "/admin/statements?{}",
                    serde_urlencoded::to_string([
                        ("tenant", tenant.slug.as_str()),
                        ("more", token.as_str())
                    ])
                    .unwrap_or_default()
                )
            });
            (StatusCode::OK, rows, next, None)
        }
        Err(LrsError::BadRequest(reason)) => (
            StatusCode::BAD_REQUEST,
            Vec::new(),
            None,
            Some(shell.t.with("statements-invalid", "detail", &reason)),
        ),
        Err(other) => return error_response(shell, &crate::xapi::XapiError::from(other).into()),
    };
    let view = StatementsPage {
        shell,
        heading: shell.t.with("statements-heading", "name", &tenant.name),
        tenant_slug: tenant.slug.clone(),
        error,
        filter_agent: params.agent,
        filter_verb: params.verb,
        filter_activity: params.activity,
        filter_registration: params.registration,
        rows,
        next,
    };
    shell.render(status, &view)
}

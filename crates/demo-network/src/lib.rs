//! The demo network: a retail cooperative's three member companies (a regional retailer, a
//! wholesaler, a logistics company) with org units, about 600 people in roles made from ESCO
//! occupations, managers, trainers and L&D admins; the ESCO framework; a catalogue of a few hundred
//! opportunities of every modality aligned to the roles' skills, with the example cmi5 and SCORM
//! packages, external providers' offers, rooms and classroom sessions in the coming weeks;
//! compliance training assigned with due dates; and six months of learning history as xAPI
//! statements, assessments, journal entries and goals.
//!
//! Everything is written through Mycel's own operations (`mycel-app`) and bulk store paths, and the
//! history goes through the LRS and its change-feed readers, so completions, certifications,
//! evidence and estimates arise the way they do in production. Whatever is drawn comes from the
//! seed: the same seed gives the same network (ids and creation times aside).

mod catalogue_offer;
mod companies;
mod learning_history;
pub mod network_at_scale;
pub mod network_plan;

use anyhow::Context;
use mycel_app::catalogue::Catalogue;
use mycel_store::Store;
use std::path::PathBuf;
use std::time::Instant;

/// The password of every demo login (printed by `mycel demo`; demo data only).
pub const DEMO_PASSWORD: &str = "mycel-demo-2026";

/// What the generator needs from outside.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub seed: u64,
    /// The shared data folder with `esco/` and `packages/` (`../shared/data` from the repo).
    pub shared_data: PathBuf,
    /// The address Mycel is reached at: activity ids of opportunities start with it.
    pub home_page: String,
}

/// Someone to log in as, and what they will see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub organisation: &'static str,
    pub email: String,
    pub who: &'static str,
    pub sees: &'static str,
}

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub companies: usize,
    pub org_units: usize,
    pub people: usize,
    pub roles: usize,
    pub opportunities: usize,
    pub sessions: usize,
    pub enrolments: usize,
    pub statements: usize,
    pub evidence: usize,
    pub journal_entries: usize,
    pub seconds: f64,
}

/// The logins `mycel demo` prints, the same for every seed.
pub fn logins() -> Vec<DemoLogin> {
    companies::LOGINS
        .iter()
        .map(|login| DemoLogin {
            organisation: login.company,
            email: companies::login_email(login),
            who: login.who,
            sees: login.sees,
        })
        .collect()
}

/// Whether the demo network is in this database already (its first company exists).
pub async fn is_generated(store: &dyn Store) -> anyhow::Result<bool> {
    let tenants = store
        .list_tenants()
        .await
        .context("cannot list member companies")?;
    Ok(tenants
        .iter()
        .any(|t| t.slug == network_plan::COMPANIES[0].slug))
}

/// Generates the demo network into an empty database (the member companies must not exist yet).
/// Progress goes to the log.
pub async fn generate(
    store: &dyn Store,
    catalogue: &Catalogue,
    options: &DemoOptions,
) -> anyhow::Result<DemoSummary> {
    let began = Instant::now();
    if is_generated(store).await? {
        anyhow::bail!(
            "the demo network exists in this database already (member company {:?})",
            network_plan::COMPANIES[0].slug
        );
    }
    let mut summary = DemoSummary::default();
    companies::import_esco(store, &options.shared_data.join("esco")).await?;
    let network = companies::write_companies(store, options.seed, &mut summary).await?;
    let offer =
        catalogue_offer::write_catalogue(store, catalogue, &network, options, &mut summary).await?;
    learning_history::write_history(store, &network, &offer, options, &mut summary).await?;
    catalogue
        .sync_index(store)
        .await
        .context("cannot bring the search index in step")?;
    summary.seconds = began.elapsed().as_secs_f64();
    Ok(summary)
}

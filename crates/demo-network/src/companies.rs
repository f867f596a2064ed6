//! The member companies: ESCO for the network, then each company's org units, roles with
//! profiles from ESCO occupations, people with managers, access roles and the demo logins.

use crate::network_plan::{self, CompanyPlan, FIRST_NAMES, LAST_NAMES};
use crate::{DemoSummary, DEMO_PASSWORD};
use anyhow::{anyhow, bail, Context};
use chrono::{DateTime, Duration, SubsecRound, Utc};
use mycel_app::competencies as comp;
use mycel_app::organisation as ops;
use mycel_app::Acting;
use mycel_competency::scale::Level;
use mycel_organisation::{
    AccessGrant, AccessRole, CompetencyId, OrgUnitId, Person, PersonId, RoleAssignment,
    RoleAssignmentKind, RoleId,
};
use mycel_store::{NewOrgUnit, NewRole, Store, TenantScope};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::path::Path;

/// A demo login: a fixed person (the same for every seed) at a fixed seat.
#[derive(Debug, Clone, Copy)]
pub struct LoginPlan {
    pub company: &'static str,
    pub first: &'static str,
    pub last: &'static str,
    /// The unit (by name) and the role (by key) of the seat; the unit's head if `head`.
    pub unit: &'static str,
    pub role: &'static str,
    pub head: bool,
    pub grants: &'static [AccessRole],
    pub who: &'static str,
    pub sees: &'static str,
}

pub const LOGINS: [LoginPlan; 8] = [
    LoginPlan {
        company: "frischmarkt",
        first: "Lea",
        last: "Hansen",
        unit: "Markt Altona",
        role: "shop",
        head: false,
        grants: &[],
        who: "learner (shop assistant who wants to become store manager)",
        sees: "My learning: her next steps with reasons, recommendations, assigned compliance training; My skills: estimates and gaps",
    },
    LoginPlan {
        company: "frischmarkt",
        first: "Malte",
        last: "Petersen",
        unit: "Markt Altona",
        role: "store-manager",
        head: true,
        grants: &[AccessRole::Manager],
        who: "manager (store manager of Markt Altona)",
        sees: "Team: the team's aggregated gaps, due compliance training, journal entries to confirm",
    },
    LoginPlan {
        company: "frischmarkt",
        first: "Svenja",
        last: "Krüger",
        unit: "Zentrale Hamburg",
        role: "lnd",
        head: false,
        grants: &[AccessRole::LndAdmin, AccessRole::Trainer],
        who: "L&D admin and trainer",
        sees: "Catalogue and its editor, the company's needs (aggregated gaps), sessions and participants",
    },
    LoginPlan {
        company: "frischmarkt",
        first: "Nils",
        last: "Brandt",
        unit: "Zentrale Hamburg",
        role: "it",
        head: false,
        grants: &[AccessRole::NetworkAdmin, AccessRole::TenantAdmin],
        who: "network admin of the cooperative",
        sees: "Administration: member companies, people, API credentials, the LRS statements",
    },
    LoginPlan {
        company: "nordwaren",
        first: "Elif",
        last: "Demir",
        unit: "Lager Bremen",
        role: "warehouse",
        head: false,
        grants: &[],
        who: "learner (warehouse worker)",
        sees: "My learning at the wholesaler, with courses the retailer offers to the network",
    },
    LoginPlan {
        company: "nordwaren",
        first: "Jens",
        last: "Lorenz",
        unit: "Verwaltung",
        role: "lnd",
        head: false,
        grants: &[AccessRole::LndAdmin, AccessRole::Trainer],
        who: "L&D admin of the wholesaler",
        sees: "The wholesaler's catalogue, needs and sessions",
    },
    LoginPlan {
        company: "nordlogistik",
        first: "Piotr",
        last: "Nowak",
        unit: "Depot Hamburg",
        role: "driver",
        head: false,
        grants: &[],
        who: "learner (truck driver)",
        sees: "My learning at the logistics company: load securing, dangerous goods, the path",
    },
    LoginPlan {
        company: "nordlogistik",
        first: "Karin",
        last: "Vogel",
        unit: "Depot Hamburg",
        role: "executive",
        head: true,
        grants: &[AccessRole::Manager],
        who: "manager (head of Depot Hamburg)",
        sees: "Team: the drivers' gaps and due certifications",
    },
];

pub fn login_email(login: &LoginPlan) -> String {
    let domain = network_plan::COMPANIES
        .iter()
        .find(|c| c.slug == login.company)
        .map_or("example.org", |c| c.domain);
    format!(
        "{}.{}@{domain}",
        network_plan::mail_name(login.first),
        network_plan::mail_name(login.last)
    )
}

/// A generated person with their seat.
#[derive(Debug, Clone)]
pub struct DemoPerson {
    pub id: PersonId,
    pub name: String,
    pub email: String,
    pub unit: usize,
    pub role: &'static str,
    pub manager: Option<PersonId>,
    /// Access roles beyond learner.
    pub grants: Vec<AccessGrant>,
    pub login: bool,
    /// Joined in the last weeks: no history yet.
    pub new_hire: bool,
    pub locale: Option<&'static str>,
}

/// A role of a company with its profile.
#[derive(Debug, Clone)]
pub struct DemoRole {
    pub id: RoleId,
    pub name: &'static str,
    /// The competencies the role requires, in the occupation's order, with their target.
    pub required: Vec<(CompetencyId, Level)>,
}

/// A written company.
#[derive(Debug, Clone)]
pub struct DemoCompany {
    pub plan: CompanyPlan,
    pub scope: TenantScope,
    pub units: Vec<OrgUnitId>,
    pub roles: BTreeMap<&'static str, DemoRole>,
    pub people: Vec<DemoPerson>,
}

impl DemoCompany {
    pub fn with_grant(&self, role: AccessRole) -> impl Iterator<Item = &DemoPerson> {
        self.people
            .iter()
            .filter(move |p| p.grants.iter().any(|g| g.role == role))
    }
}

#[derive(Debug, Clone)]
pub struct DemoNetworkWritten {
    pub companies: Vec<DemoCompany>,
    pub now: DateTime<Utc>,
    pub seed: u64,
}

/// Imports ESCO (English, with German labels) for the whole network.
pub async fn import_esco(store: &dyn Store, dir: &Path) -> anyhow::Result<()> {
    let find = |prefix: &str, suffix: &str| {
        std::fs::read_dir(dir)
            .ok()
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(prefix) && n.ends_with(suffix))
            })
    };
    let (Some(classification), Some(relations)) = (
        find("esco-", "classification-en-csv.zip"),
        find("esco-", "relations-csv.zip"),
    ) else {
        bail!(
            "the ESCO zips are not in {} (expected esco-*-classification-en-csv.zip and \
             esco-*-relations-csv.zip; give the shared data folder with --shared-data)",
            dir.display()
        );
    };
    let german: Vec<_> = find("esco-", "classification-de-partial-csv.zip")
        .into_iter()
        .collect();
    tracing::info!("demo: reading ESCO");
    let (import, summary) = tokio::task::spawn_blocking(move || {
        mycel_framework_import::read_esco_files(&classification, &relations, &german, None)
    })
    .await
    .context("reading ESCO failed")?
    .map_err(|errors| anyhow!("reading ESCO failed: {errors}"))?;
    tracing::info!(
        skills = summary.skills,
        occupations = summary.occupations,
        "demo: writing ESCO"
    );
    comp::import_framework(store, Acting::Operator, None, &import, &|_| {})
        .await
        .context("writing ESCO failed")?;
    Ok(())
}

/// A deterministic person id from the seed (so the same seed gives the same people).
fn person_id(rng: &mut StdRng) -> PersonId {
    PersonId::from_uuid(uuid::Builder::from_random_bytes(rng.gen()).into_uuid())
}

pub async fn write_companies(
    store: &dyn Store,
    seed: u64,
    summary: &mut DemoSummary,
) -> anyhow::Result<DemoNetworkWritten> {
    let now = Utc::now().trunc_subsecs(0);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut companies = Vec::new();
    for plan in network_plan::COMPANIES {
        tracing::info!(company = plan.slug, "demo: writing the company");
        let company = write_company(store, plan, now, &mut rng).await?;
        summary.org_units += company.units.len();
        summary.people += company.people.len();
        summary.roles += company.roles.len();
        companies.push(company);
    }
    summary.companies = companies.len();
    Ok(DemoNetworkWritten {
        companies,
        now,
        seed,
    })
}

async fn write_company(
    store: &dyn Store,
    plan: CompanyPlan,
    now: DateTime<Utc>,
    rng: &mut StdRng,
) -> anyhow::Result<DemoCompany> {
    let tenant = ops::create_tenant(store, Acting::Operator, plan.slug, plan.name)
        .await
        .with_context(|| format!("cannot create the member company {}", plan.slug))?;
    let scope = TenantScope::system(tenant.id);

    let mut units = Vec::with_capacity(plan.units.len());
    for unit in plan.units {
        let created = store
            .create_org_unit(
                scope,
                NewOrgUnit {
                    parent_id: unit.parent.map(|p| units[p]),
                    name: unit.name.to_owned(),
                },
            )
            .await
            .with_context(|| format!("cannot create the org unit {}", unit.name))?;
        units.push(created.id);
    }

    let mut roles = BTreeMap::new();
    for role in plan.roles {
        roles.insert(role.key, write_role(store, scope, role).await?);
    }

    let people = seat_people(&plan, rng);
    let records: Vec<Person> = people
        .iter()
        .map(|p| Person {
            tenant_id: tenant.id,
            id: p.id,
            display_name: p.name.clone(),
            email: Some(p.email.clone()),
            org_unit_id: Some(units[p.unit]),
            manager_id: p.manager,
            locale: p.locale.map(str::to_owned),
            created_at: if p.new_hire {
                now - Duration::days(rng.gen_range(3..30))
            } else {
                now - Duration::days(rng.gen_range(200..3000))
            },
        })
        .collect();
    store
        .import_people(scope, &records)
        .await
        .context("cannot write the people")?;

    let mut assignments: Vec<RoleAssignment> = people
        .iter()
        .map(|p| RoleAssignment {
            tenant_id: tenant.id,
            person_id: p.id,
            role_id: roles[p.role].id,
            kind: RoleAssignmentKind::Current,
            assigned_at: now - Duration::days(180),
        })
        .collect();
    // Some want to grow: shop assistants into store management, warehouse staff into leading a
    // warehouse, drivers into dispatching.
    for (from, to) in [
        ("shop", "store-manager"),
        ("warehouse", "warehouse-head"),
        ("driver", "dispatcher"),
    ] {
        let Some(target) = roles.get(to) else {
            continue;
        };
        for p in people.iter().filter(|p| p.role == from) {
            if p.login || rng.gen_bool(0.1) {
                assignments.push(RoleAssignment {
                    tenant_id: tenant.id,
                    person_id: p.id,
                    role_id: target.id,
                    kind: RoleAssignmentKind::Aspired,
                    assigned_at: now - Duration::days(60),
                });
            }
        }
    }
    store
        .import_role_assignments(scope, &assignments)
        .await
        .context("cannot write the role assignments")?;

    for person in &people {
        for grant in &person.grants {
            store
                .grant_access(scope, person.id, *grant)
                .await
                .context("cannot grant an access role")?;
        }
        if person.login {
            ops::set_password(
                store,
                Acting::Operator,
                scope,
                person.id,
                DEMO_PASSWORD.to_owned(),
            )
            .await
            .context("cannot set a demo login's password")?;
        }
    }
    Ok(DemoCompany {
        plan,
        scope,
        units,
        roles,
        people,
    })
}

/// A role named after the plan, its profile from the ESCO occupation: essential skills required
/// at level 3 (advanced), optional ones desired at level 2.
async fn write_role(
    store: &dyn Store,
    scope: TenantScope,
    plan: &network_plan::RolePlan,
) -> anyhow::Result<DemoRole> {
    let occupation = store
        .search_occupations(scope, plan.occupation, 50)
        .await
        .context("cannot search ESCO occupations")?
        .into_iter()
        .find(|o| {
            o.labels
                .get("en")
                .is_some_and(|l| l.preferred == plan.occupation)
        })
        .ok_or_else(|| {
            anyhow!(
                "the ESCO occupation {:?} is not in the database",
                plan.occupation
            )
        })?;
    let role = store
        .create_role(
            scope,
            NewRole {
                name: plan.name.to_owned(),
                description: Some(format!("ESCO: {} ({})", plan.occupation, occupation.uri)),
            },
        )
        .await
        .with_context(|| format!("cannot create the role {}", plan.name))?;
    let level = |v: f64| Level::new(v).ok_or_else(|| anyhow!("level {v} is not on the scale"));
    comp::role_profile_from_occupation(
        store,
        Acting::Operator,
        scope,
        role.id,
        occupation.id,
        level(3.0)?,
        Some(level(2.0)?),
    )
    .await
    .with_context(|| format!("cannot set the profile of {}", plan.name))?;
    let required = comp::role_profile(store, Acting::Operator, scope, role.id)
        .await
        .context("cannot read a role profile")?
        .into_iter()
        .filter(|(r, _)| r.kind == mycel_competency::RequirementKind::Required)
        .map(|(r, _)| (r.competency_id, r.target))
        .collect();
    Ok(DemoRole {
        id: role.id,
        name: plan.name,
        required,
    })
}

/// Everyone of a company in their seat: each unit's head (reporting to the parent unit's head),
/// then its staff (reporting to the head); the demo logins take the seats the plan names.
fn seat_people(plan: &CompanyPlan, rng: &mut StdRng) -> Vec<DemoPerson> {
    let mut people: Vec<DemoPerson> = Vec::new();
    let mut heads: Vec<PersonId> = Vec::with_capacity(plan.units.len());
    let mut taken = std::collections::BTreeSet::new();
    for (u, unit) in plan.units.iter().enumerate() {
        let head_of_parent = unit.parent.map(|p| heads[p]);
        let seats = std::iter::once((unit.head_role, true)).chain(
            unit.staff
                .iter()
                .flat_map(|(role, n)| (0..*n).map(move |_| (*role, false))),
        );
        let mut head = None;
        for (role, is_head) in seats {
            let login = LOGINS.iter().find(|l| {
                l.company == plan.slug
                    && l.unit == unit.name
                    && l.role == role
                    && l.head == is_head
                    && !taken.contains(&(l.first, l.last))
            });
            let (first, last) = match login {
                Some(l) => {
                    taken.insert((l.first, l.last));
                    (l.first, l.last)
                }
                None => (
                    FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())],
                    LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())],
                ),
            };
            let id = person_id(rng);
            let email = match login {
                Some(l) => login_email(l),
                None => format!(
                    "{}.{}.{}@{}",
                    network_plan::mail_name(first),
                    network_plan::mail_name(last),
                    people.len() + 1,
                    plan.domain
                ),
            };
            let mut grants = Vec::new();
            match login {
                Some(l) => grants.extend(l.grants.iter().map(|r| AccessGrant::tenant_wide(*r))),
                None => {
                    if is_head {
                        grants.push(AccessGrant::tenant_wide(AccessRole::Manager));
                    }
                    if role == "lnd" {
                        grants.push(AccessGrant::tenant_wide(AccessRole::LndAdmin));
                        grants.push(AccessGrant::tenant_wide(AccessRole::Trainer));
                    }
                }
            }
            if is_head && !grants.iter().any(|g| g.role == AccessRole::Manager) {
                grants.push(AccessGrant::tenant_wide(AccessRole::Manager));
            }
            people.push(DemoPerson {
                id,
                name: format!("{first} {last}"),
                email,
                unit: u,
                role,
                manager: if is_head { head_of_parent } else { head },
                grants,
                login: login.is_some(),
                new_hire: login.is_none() && rng.gen_bool(0.06),
                locale: if login.is_none() && rng.gen_bool(0.85) {
                    Some("de")
                } else {
                    None
                },
            });
            if is_head {
                head = Some(id);
                heads.push(id);
            }
        }
    }
    people
}

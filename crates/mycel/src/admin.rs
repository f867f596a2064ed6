//! `mycel admin …`: setting up the network from the command line. The operator acts with full
//! rights ([`Acting::Operator`]) through the same operations as the API and the web interface.

use crate::config::Config;
use anyhow::{bail, Context};
use clap::Subcommand;
use mycel_api as dto;
use mycel_app::organisation as ops;
use mycel_app::Acting;
use mycel_http::api::credential_dto;
use mycel_organisation::{AccessGrant, AccessRole, CredentialId, OrgUnitId};
use std::io::Read;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Add a member company to the network.
    CreateTenant {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
    },
    /// List the member companies.
    ListTenants,
    /// Add an org unit to a member company.
    CreateOrgUnit {
        #[arg(long, value_name = "SLUG")]
        tenant: String,
        #[arg(long)]
        name: String,
        /// The parent unit's id (default: a top-level unit).
        #[arg(long, value_name = "ID")]
        parent: Option<OrgUnitId>,
    },
    /// Add a person who can log in.
    CreateUser {
        #[arg(long, value_name = "SLUG")]
        tenant: String,
        #[arg(long)]
        email: String,
        /// learner, manager, trainer, lnd-admin, tenant-admin, network-admin or privacy-officer.
        #[arg(long)]
        role: String,
        /// Display name (default: the part of the e-mail address before the @).
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_name = "ID")]
        org_unit: Option<OrgUnitId>,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Create an API credential for a machine client; prints its key and secret once.
    CreateCredential {
        #[arg(long, value_name = "SLUG")]
        tenant: String,
        /// Comma-separated: all, statements/write, statements/read, statements/read/mine, state,
        /// profiles, define, org/read, org/write.
        #[arg(long, value_name = "SCOPE[,SCOPE…]")]
        scopes: String,
        #[arg(long, default_value = "API client")]
        label: String,
    },
    /// Revoke an API credential.
    RevokeCredential {
        #[arg(long, value_name = "SLUG")]
        tenant: String,
        #[arg(long, value_name = "ID")]
        id: CredentialId,
    },
    /// Recompute every competency estimate of a member company from its evidence (evidence loses
    /// weight with age, so estimates drift even when nothing new arrives; run it nightly).
    RefreshEstimates {
        #[arg(long, value_name = "SLUG")]
        tenant: String,
    },
}

fn print<T: serde::Serialize>(
    json: bool,
    value: &T,
    human: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        println!("{}", human());
    }
    Ok(())
}

pub async fn run(config: &Config, command: AdminCommand, json: bool) -> anyhow::Result<()> {
    let store = crate::open_store(config).await?;
    let result = execute(&*store, command, json).await;
    store.close().await;
    result
}

async fn execute(
    store: &dyn mycel_store::Store,
    command: AdminCommand,
    json: bool,
) -> anyhow::Result<()> {
    let op = Acting::Operator;
    match command {
        AdminCommand::CreateTenant { slug, name } => {
            let tenant: dto::Tenant = ops::create_tenant(store, op, &slug, &name).await?.into();
            print(json, &tenant, || {
                format!(
                    "created member company {} ({}), id {}",
                    tenant.name, tenant.slug, tenant.id
                )
            })
        }
        AdminCommand::ListTenants => {
            let tenants: Vec<dto::Tenant> = ops::list_tenants(store, op)
                .await?
                .into_iter()
                .map(Into::into)
                .collect();
            print(json, &tenants, || {
                tenants
                    .iter()
                    .map(|t| format!("{}\t{}\t{}", t.slug, t.name, t.id))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        AdminCommand::CreateOrgUnit {
            tenant,
            name,
            parent,
        } => {
            let (_, scope) = ops::enter_tenant(store, op, &tenant).await?;
            let unit: dto::OrgUnit = ops::create_org_unit(store, op, scope, &name, parent)
                .await?
                .into();
            print(json, &unit, || {
                format!("created org unit {}, id {}", unit.name, unit.id)
            })
        }
        AdminCommand::CreateUser {
            tenant,
            email,
            role,
            name,
            org_unit,
            password_stdin,
        } => {
            let role = ops::parse_access_role(&role)?;
            let (_, scope) = ops::enter_tenant(store, op, &tenant).await?;
            let (password, generated) = if password_stdin {
                let mut input = String::new();
                std::io::stdin()
                    .read_to_string(&mut input)
                    .context("cannot read the password from standard input")?;
                let password = input.trim_end_matches(['\r', '\n']).to_owned();
                if password.is_empty() {
                    bail!("standard input held no password");
                }
                (password, false)
            } else {
                (mycel_app::tokens::random_secret()[..20].to_owned(), true)
            };
            let display_name =
                name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_owned());
            let input = ops::PersonInput {
                display_name,
                email: Some(email),
                org_unit_id: org_unit,
                password: Some(password.clone()),
                access: (role != AccessRole::Learner).then_some(AccessGrant::tenant_wide(role)),
                ..ops::PersonInput::default()
            };
            let person: dto::Person = ops::create_person(store, op, scope, input).await?.into();
            #[derive(serde::Serialize)]
            struct CreatedUser<'a> {
                person: &'a dto::Person,
                role: &'a str,
                #[serde(skip_serializing_if = "Option::is_none")]
                initial_password: Option<&'a str>,
            }
            let shown = generated.then_some(password.as_str());
            print(
                json,
                &CreatedUser {
                    person: &person,
                    role: role.as_str(),
                    initial_password: shown,
                },
                || {
                    let mut out = format!(
                        "created {} <{}> as {} in {}, id {}",
                        person.display_name,
                        person.email.as_deref().unwrap_or(""),
                        role.as_str(),
                        tenant,
                        person.id
                    );
                    if let Some(p) = shown {
                        out.push_str(&format!("\ninitial password (shown once): {p}"));
                    }
                    out
                },
            )
        }
        AdminCommand::CreateCredential {
            tenant,
            scopes,
            label,
        } => {
            let scopes: Vec<&str> = scopes
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            let scopes = ops::parse_scopes(&scopes)?;
            let (_, scope) = ops::enter_tenant(store, op, &tenant).await?;
            let issued = ops::create_credential(store, op, scope, &label, &scopes).await?;
            let created = dto::CreatedApiCredential {
                credential: credential_dto(issued.credential),
                secret: issued.secret,
            };
            print(json, &created, || {
                format!(
                    "created API credential {} ({})\nkey:    {}\nsecret: {}\nThe secret is shown only this once.",
                    created.credential.label,
                    created.credential.scopes.join(","),
                    created.credential.key,
                    created.secret
                )
            })
        }
        AdminCommand::RevokeCredential { tenant, id } => {
            let (_, scope) = ops::enter_tenant(store, op, &tenant).await?;
            let revoked = credential_dto(ops::revoke_credential(store, op, scope, id).await?);
            print(json, &revoked, || {
                format!("revoked API credential {} ({})", revoked.label, revoked.key)
            })
        }
        AdminCommand::RefreshEstimates { tenant } => {
            let (_, scope) = ops::enter_tenant(store, op, &tenant).await?;
            let refreshed = mycel_app::competencies::refresh_estimates(store, scope).await?;
            print(json, &serde_json::json!({ "refreshed": refreshed }), || {
                format!("refreshed {refreshed} competency estimates")
            })
        }
    }
}

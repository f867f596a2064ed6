//! Who may do what.
//!
//! People act through their *access roles* (granted per tenant; an L&D admin's grant may be limited
//! to an org unit subtree, which is delegated administration). Machine clients act through API
//! credentials with *scopes*. [`Principal::permits`] is the single decision point: handlers load the
//! facts an [`Action`] needs (an org unit's ancestry, a person's manager) and ask it.
//!
//! Which tenant a principal may touch at all is decided separately and below the handlers, by the
//! store's tenant scope; these rules decide what it may do inside a tenant.

use crate::ids::{CredentialId, OrgUnitId, PersonId, TenantId};
use serde::{Deserialize, Serialize};

/// A person's access role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccessRole {
    /// Everyone: their own learning and data.
    Learner,
    /// Sees the people who report to them (the manager relation decides who that is).
    Manager,
    /// Runs classroom training.
    Trainer,
    /// L&D administrator ("Bildungsverantwortliche/r") of an org unit subtree, or of the whole tenant.
    LndAdmin,
    /// Administers one member company.
    TenantAdmin,
    /// Administers the whole network: creates member companies, acts in any of them.
    NetworkAdmin,
    /// Data protection officer ("Datenschutzbeauftragte/r"): reads the audit log.
    PrivacyOfficer,
}

impl AccessRole {
    pub const ALL: [AccessRole; 7] = [
        Self::Learner,
        Self::Manager,
        Self::Trainer,
        Self::LndAdmin,
        Self::TenantAdmin,
        Self::NetworkAdmin,
        Self::PrivacyOfficer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Learner => "learner",
            Self::Manager => "manager",
            Self::Trainer => "trainer",
            Self::LndAdmin => "lnd-admin",
            Self::TenantAdmin => "tenant-admin",
            Self::NetworkAdmin => "network-admin",
            Self::PrivacyOfficer => "privacy-officer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// An access role held by a person, optionally limited to an org unit subtree (only meaningful for
/// [`AccessRole::LndAdmin`]; `None` means the whole tenant).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccessGrant {
    pub role: AccessRole,
    pub org_unit_id: Option<OrgUnitId>,
}

impl AccessGrant {
    pub fn tenant_wide(role: AccessRole) -> Self {
        Self {
            role,
            org_unit_id: None,
        }
    }
}

/// What an API credential may do. The xAPI scopes are those of the xAPI specification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    #[serde(rename = "all")]
    All,
    #[serde(rename = "statements/write")]
    StatementsWrite,
    #[serde(rename = "statements/read")]
    StatementsRead,
    #[serde(rename = "statements/read/mine")]
    StatementsReadMine,
    #[serde(rename = "state")]
    State,
    #[serde(rename = "profiles")]
    Profiles,
    #[serde(rename = "define")]
    Define,
    /// Read the organisation: org units, roles, people.
    #[serde(rename = "org/read")]
    OrgRead,
    /// Change the organisation (HR sync): org units, roles, people, role assignments.
    #[serde(rename = "org/write")]
    OrgWrite,
    /// Read the learning catalogue.
    #[serde(rename = "catalogue/read")]
    CatalogueRead,
    /// Change the learning catalogue (a provider's or content system's sync).
    #[serde(rename = "catalogue/write")]
    CatalogueWrite,
}

impl Scope {
    pub const ALL: [Scope; 11] = [
        Self::All,
        Self::StatementsWrite,
        Self::StatementsRead,
        Self::StatementsReadMine,
        Self::State,
        Self::Profiles,
        Self::Define,
        Self::OrgRead,
        Self::OrgWrite,
        Self::CatalogueRead,
        Self::CatalogueWrite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::StatementsWrite => "statements/write",
            Self::StatementsRead => "statements/read",
            Self::StatementsReadMine => "statements/read/mine",
            Self::State => "state",
            Self::Profiles => "profiles",
            Self::Define => "define",
            Self::OrgRead => "org/read",
            Self::OrgWrite => "org/write",
            Self::CatalogueRead => "catalogue/read",
            Self::CatalogueWrite => "catalogue/write",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Parses a comma-separated list (`statements/write,state`); names the first unknown scope.
    pub fn parse_list(s: &str) -> Result<Vec<Scope>, String> {
        let mut scopes = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let scope = Scope::parse(part).ok_or_else(|| part.to_owned())?;
            if !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
        Ok(scopes)
    }
}

/// What is known about a person when deciding whether someone may see or change their data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonFacts {
    pub id: PersonId,
    pub manager_id: Option<PersonId>,
    /// The person's org unit and its ancestors, root first (empty if the person has no unit).
    pub org_unit_path: Vec<OrgUnitId>,
}

/// Something a principal wants to do inside a tenant.
#[derive(Clone, Copy, Debug)]
pub enum Action<'a> {
    /// Create member companies and see all of them.
    AdministerNetwork,
    /// See the tenant's structure: org units and roles (no personal data).
    ViewOrgStructure,
    /// Create an org unit below the unit with this path (root first); an empty path means a new
    /// top-level unit.
    CreateOrgUnit { parent_path: &'a [OrgUnitId] },
    /// List the people of the org unit subtree with this path, or of the whole tenant (`None`).
    ListPeople { unit_path: Option<&'a [OrgUnitId]> },
    /// Read one person's data.
    ViewPerson(&'a PersonFacts),
    /// Create a person in the unit with this path (empty: no unit), or change a person's data and
    /// role assignments.
    ManagePeople { unit_path: &'a [OrgUnitId] },
    /// Create and change roles (job profiles).
    ManageRoles,
    /// Grant access roles to people.
    ManageAccess,
    /// Create, list and revoke API credentials.
    ManageCredentials,
    /// Read the audit log of access to personal data.
    ViewAuditLog,
    /// Import or edit the tenant's own competency frameworks and proficiency scales.
    ManageFrameworks,
    /// See a person's competency profile (levels, evidence, gaps). `shared`: the person shares
    /// their profile; without it only the person sees it.
    ViewCompetencyProfile {
        person: &'a PersonFacts,
        shared: bool,
    },
    /// Record evidence about a person's competency, in the capacity of `by`.
    RecordEvidence {
        person: &'a PersonFacts,
        by: Assessor,
        shared: bool,
    },
    /// See the aggregated competencies (gaps) of an org unit's subtree, or of the whole tenant
    /// (`None`). A manager's own team is always theirs to see in aggregate.
    ViewGroupCompetencies { unit_path: Option<&'a [OrgUnitId]> },
    /// Find and read the learning opportunities the tenant's people may see.
    ViewCatalogue,
    /// Create, change, publish and retire the tenant's learning opportunities, providers and
    /// packages (L&D for the whole company).
    ManageCatalogue,
    /// Set, change and delete the strategic goals of the org unit with this path (root first).
    ManageStrategicGoals { unit_path: &'a [OrgUnitId] },
    /// Choose what the company's learning paths are planned for (least time or least cost).
    ManagePathPlanning,
}

/// In which capacity someone records evidence about a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assessor {
    /// The person rates themselves (self-assessment, journal).
    Themselves,
    /// Their manager rates or confirms.
    Manager,
    /// A colleague rates (only on a shared profile).
    Peer,
    /// A trainer rates after training.
    Trainer,
    /// L&D or a connected system records a test result or credential.
    Organisation,
}

/// Who is acting: a logged-in person or a machine client with an API credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    Person {
        tenant_id: TenantId,
        person_id: PersonId,
        grants: Vec<AccessGrant>,
    },
    Credential {
        tenant_id: TenantId,
        credential_id: CredentialId,
        scopes: Vec<Scope>,
    },
}

impl Principal {
    /// The tenant the principal belongs to.
    pub fn tenant_id(&self) -> TenantId {
        match self {
            Self::Person { tenant_id, .. } | Self::Credential { tenant_id, .. } => *tenant_id,
        }
    }

    pub fn person_id(&self) -> Option<PersonId> {
        match self {
            Self::Person { person_id, .. } => Some(*person_id),
            Self::Credential { .. } => None,
        }
    }

    pub fn has_role(&self, role: AccessRole) -> bool {
        match self {
            Self::Person { grants, .. } => grants.iter().any(|g| g.role == role),
            Self::Credential { .. } => false,
        }
    }

    fn has_scope(&self, scope: Scope) -> bool {
        match self {
            Self::Credential { scopes, .. } => {
                scopes.contains(&scope) || scopes.contains(&Scope::All)
            }
            Self::Person { .. } => false,
        }
    }

    /// May this principal act in another tenant than its own? Only network admins may.
    pub fn may_enter_tenant(&self, tenant: TenantId) -> bool {
        self.tenant_id() == tenant || self.has_role(AccessRole::NetworkAdmin)
    }

    /// Does an L&D admin grant cover the org unit with this path (root first)?
    fn administers_unit(&self, path: &[OrgUnitId]) -> bool {
        match self {
            Self::Person { grants, .. } => grants.iter().any(|g| {
                g.role == AccessRole::LndAdmin
                    && g.org_unit_id.is_none_or(|root| path.contains(&root))
            }),
            Self::Credential { .. } => false,
        }
    }

    fn is_tenant_admin(&self) -> bool {
        self.has_role(AccessRole::TenantAdmin) || self.has_role(AccessRole::NetworkAdmin)
    }

    /// The one decision point: may this principal do `action` inside a tenant it may enter?
    pub fn permits(&self, action: Action<'_>) -> bool {
        use Action::*;
        if let Self::Credential { .. } = self {
            let read = self.has_scope(Scope::OrgRead) || self.has_scope(Scope::OrgWrite);
            return match action {
                AdministerNetwork | ManageCredentials | ManageAccess | ViewAuditLog => false,
                ViewOrgStructure | ListPeople { .. } | ViewPerson(_) => read,
                CreateOrgUnit { .. } | ManagePeople { .. } | ManageRoles | ManageFrameworks => {
                    self.has_scope(Scope::OrgWrite)
                }
                ViewCompetencyProfile { shared, .. } => read && shared,
                ViewGroupCompetencies { .. } => read,
                RecordEvidence { by, .. } => {
                    by == Assessor::Organisation && self.has_scope(Scope::OrgWrite)
                }
                ViewCatalogue => {
                    self.has_scope(Scope::CatalogueRead) || self.has_scope(Scope::CatalogueWrite)
                }
                ManageCatalogue => self.has_scope(Scope::CatalogueWrite),
                ManageStrategicGoals { .. } | ManagePathPlanning => self.has_scope(Scope::OrgWrite),
            };
        }
        // Network admins may do everything, except look into a person's competency profile or
        // rate them in a capacity they do not have: that needs the person's sharing, as for
        // company admins.
        let personal = matches!(action, ViewCompetencyProfile { .. } | RecordEvidence { .. });
        if self.has_role(AccessRole::NetworkAdmin) && !personal {
            return true;
        }
        let admin = self.is_tenant_admin();
        match action {
            AdministerNetwork => false,
            ViewOrgStructure => true,
            CreateOrgUnit { parent_path } => {
                admin || (!parent_path.is_empty() && self.administers_unit(parent_path))
            }
            ListPeople { unit_path } => {
                admin
                    || self.has_role(AccessRole::PrivacyOfficer)
                    || unit_path.is_some_and(|p| self.administers_unit(p))
                    || (unit_path.is_none() && self.administers_unit(&[]))
            }
            ViewPerson(facts) => {
                Some(facts.id) == self.person_id()
                    || (facts.manager_id.is_some() && facts.manager_id == self.person_id())
                    || admin
                    || self.has_role(AccessRole::PrivacyOfficer)
                    || self.administers_unit(&facts.org_unit_path)
            }
            ManagePeople { unit_path } => admin || self.administers_unit(unit_path),
            ManageRoles => admin || self.has_role(AccessRole::LndAdmin),
            ManageAccess | ManageCredentials => admin,
            ViewAuditLog => self.has_role(AccessRole::PrivacyOfficer),
            ManageFrameworks => admin || self.has_role(AccessRole::LndAdmin),
            ViewCompetencyProfile { person, shared } => {
                Some(person.id) == self.person_id()
                    || (shared
                        && ((person.manager_id.is_some() && person.manager_id == self.person_id())
                            || admin
                            || self.administers_unit(&person.org_unit_path)))
            }
            RecordEvidence { person, by, shared } => {
                let own = Some(person.id) == self.person_id();
                match by {
                    Assessor::Themselves => own,
                    Assessor::Manager => {
                        person.manager_id.is_some() && person.manager_id == self.person_id()
                    }
                    Assessor::Peer => shared && !own,
                    Assessor::Trainer => {
                        !own && (self.has_role(AccessRole::Trainer)
                            || self.administers_unit(&person.org_unit_path))
                    }
                    Assessor::Organisation => admin || self.administers_unit(&person.org_unit_path),
                }
            }
            ViewGroupCompetencies { unit_path } => match unit_path {
                Some(path) => admin || self.administers_unit(path),
                None => admin || self.administers_unit(&[]),
            },
            ViewCatalogue => true,
            // The catalogue belongs to the company as a whole: an L&D admin of one org unit
            // does not edit it.
            ManageCatalogue => admin || self.administers_unit(&[]),
            // Delegated like people: an L&D admin of a subtree sets the goals of its units.
            ManageStrategicGoals { unit_path } => admin || self.administers_unit(unit_path),
            // A company-wide setting: company admins and L&D for the whole company.
            ManagePathPlanning => admin || self.administers_unit(&[]),
        }
    }

    /// Reading this person's data is access to *another* person's personal data, which the audit
    /// log must record.
    pub fn is_other_person(&self, subject: PersonId) -> bool {
        self.person_id() != Some(subject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(grants: &[AccessGrant]) -> Principal {
        Principal::Person {
            tenant_id: TenantId::generate(),
            person_id: PersonId::generate(),
            grants: grants.to_vec(),
        }
    }

    fn credential(scopes: &[Scope]) -> Principal {
        Principal::Credential {
            tenant_id: TenantId::generate(),
            credential_id: CredentialId::generate(),
            scopes: scopes.to_vec(),
        }
    }

    fn facts(manager: Option<PersonId>, path: &[OrgUnitId]) -> PersonFacts {
        PersonFacts {
            id: PersonId::generate(),
            manager_id: manager,
            org_unit_path: path.to_vec(),
        }
    }

    #[test]
    fn learners_see_themselves_only() {
        let me = person(&[AccessGrant::tenant_wide(AccessRole::Learner)]);
        let mine = PersonFacts {
            id: me.person_id().unwrap(),
            manager_id: None,
            org_unit_path: vec![],
        };
        assert!(me.permits(Action::ViewPerson(&mine)));
        assert!(!me.permits(Action::ViewPerson(&facts(None, &[]))));
        assert!(!me.permits(Action::ListPeople { unit_path: None }));
        assert!(!me.permits(Action::ManageCredentials));
        assert!(!me.permits(Action::ViewAuditLog));
        assert!(me.permits(Action::ViewOrgStructure));
    }

    #[test]
    fn managers_see_their_reports_not_others() {
        let boss = person(&[AccessGrant::tenant_wide(AccessRole::Manager)]);
        let report = facts(boss.person_id(), &[]);
        let stranger = facts(Some(PersonId::generate()), &[]);
        assert!(boss.permits(Action::ViewPerson(&report)));
        assert!(!boss.permits(Action::ViewPerson(&stranger)));
        assert!(!boss.permits(Action::ViewPerson(&facts(None, &[]))));
    }

    #[test]
    fn lnd_admins_administer_their_subtree_only() {
        let (root, north, store12, south) = (
            OrgUnitId::generate(),
            OrgUnitId::generate(),
            OrgUnitId::generate(),
            OrgUnitId::generate(),
        );
        let admin = person(&[AccessGrant {
            role: AccessRole::LndAdmin,
            org_unit_id: Some(north),
        }]);
        let inside = [root, north, store12];
        let outside = [root, south];
        assert!(admin.permits(Action::CreateOrgUnit {
            parent_path: &inside
        }));
        assert!(!admin.permits(Action::CreateOrgUnit {
            parent_path: &outside
        }));
        assert!(!admin.permits(Action::CreateOrgUnit { parent_path: &[] }));
        assert!(admin.permits(Action::ViewPerson(&facts(None, &inside))));
        assert!(!admin.permits(Action::ViewPerson(&facts(None, &outside))));
        assert!(admin.permits(Action::ListPeople {
            unit_path: Some(&inside)
        }));
        assert!(!admin.permits(Action::ListPeople { unit_path: None }));
        assert!(admin.permits(Action::ManagePeople { unit_path: &inside }));
        assert!(!admin.permits(Action::ManagePeople { unit_path: &[] }));
        assert!(!admin.permits(Action::ManageCredentials));
    }

    #[test]
    fn competency_profiles_are_private_unless_shared() {
        let boss = person(&[AccessGrant::tenant_wide(AccessRole::Manager)]);
        let report = facts(boss.person_id(), &[]);
        let view = |shared| Action::ViewCompetencyProfile {
            person: &report,
            shared,
        };
        assert!(!boss.permits(view(false)));
        assert!(boss.permits(view(true)));
        let colleague = person(&[AccessGrant::tenant_wide(AccessRole::Learner)]);
        assert!(
            !colleague.permits(view(true)),
            "a colleague sees no profile"
        );
        let me = Principal::Person {
            tenant_id: TenantId::generate(),
            person_id: report.id,
            grants: vec![],
        };
        assert!(me.permits(view(false)));
        // Ratings: the manager rates as manager, colleagues as peers only on a shared profile.
        let rate = |by, shared| Action::RecordEvidence {
            person: &report,
            by,
            shared,
        };
        assert!(boss.permits(rate(Assessor::Manager, false)));
        assert!(!colleague.permits(rate(Assessor::Manager, true)));
        assert!(!colleague.permits(rate(Assessor::Peer, false)));
        assert!(colleague.permits(rate(Assessor::Peer, true)));
        assert!(me.permits(rate(Assessor::Themselves, false)));
        assert!(
            !me.permits(rate(Assessor::Peer, true)),
            "no peer rating of oneself"
        );
        assert!(!boss.permits(rate(Assessor::Themselves, true)));
        assert!(!colleague.permits(rate(Assessor::Trainer, true)));
        let trainer = person(&[AccessGrant::tenant_wide(AccessRole::Trainer)]);
        assert!(trainer.permits(rate(Assessor::Trainer, false)));
        assert!(!trainer.permits(rate(Assessor::Organisation, false)));
        let machine = credential(&[Scope::OrgWrite]);
        assert!(machine.permits(rate(Assessor::Organisation, false)));
        assert!(!machine.permits(rate(Assessor::Manager, false)));
        assert!(!machine.permits(view(false)));
    }

    #[test]
    fn network_admins_see_no_unshared_competency_profile() {
        let network = person(&[AccessGrant::tenant_wide(AccessRole::NetworkAdmin)]);
        let someone = facts(Some(PersonId::generate()), &[]);
        assert!(!network.permits(Action::ViewCompetencyProfile {
            person: &someone,
            shared: false
        }));
        assert!(network.permits(Action::ViewCompetencyProfile {
            person: &someone,
            shared: true
        }));
        assert!(!network.permits(Action::RecordEvidence {
            person: &someone,
            by: Assessor::Manager,
            shared: true
        }));
        assert!(network.permits(Action::RecordEvidence {
            person: &someone,
            by: Assessor::Organisation,
            shared: false
        }));
        assert!(network.permits(Action::ViewGroupCompetencies { unit_path: None }));
    }

    #[test]
    fn group_competencies_follow_delegated_administration() {
        let north = OrgUnitId::generate();
        let admin = person(&[AccessGrant {
            role: AccessRole::LndAdmin,
            org_unit_id: Some(north),
        }]);
        assert!(admin.permits(Action::ViewGroupCompetencies {
            unit_path: Some(&[north])
        }));
        assert!(!admin.permits(Action::ViewGroupCompetencies {
            unit_path: Some(&[OrgUnitId::generate()])
        }));
        assert!(!admin.permits(Action::ViewGroupCompetencies { unit_path: None }));
        let learner = person(&[AccessGrant::tenant_wide(AccessRole::Learner)]);
        assert!(!learner.permits(Action::ViewGroupCompetencies { unit_path: None }));
        assert!(!learner.permits(Action::ManageFrameworks));
    }

    #[test]
    fn tenant_wide_lnd_admin_lists_everyone() {
        let admin = person(&[AccessGrant::tenant_wide(AccessRole::LndAdmin)]);
        assert!(admin.permits(Action::ListPeople { unit_path: None }));
        assert!(admin.permits(Action::ManagePeople { unit_path: &[] }));
    }

    #[test]
    fn only_network_admins_enter_other_tenants() {
        let other = TenantId::generate();
        let tenant_admin = person(&[AccessGrant::tenant_wide(AccessRole::TenantAdmin)]);
        let network_admin = person(&[AccessGrant::tenant_wide(AccessRole::NetworkAdmin)]);
        assert!(!tenant_admin.may_enter_tenant(other));
        assert!(tenant_admin.may_enter_tenant(tenant_admin.tenant_id()));
        assert!(network_admin.may_enter_tenant(other));
        assert!(!tenant_admin.permits(Action::AdministerNetwork));
        assert!(network_admin.permits(Action::AdministerNetwork));
        assert!(!credential(&[Scope::All]).may_enter_tenant(other));
    }

    #[test]
    fn audit_log_is_for_the_privacy_officer() {
        assert!(
            person(&[AccessGrant::tenant_wide(AccessRole::PrivacyOfficer)])
                .permits(Action::ViewAuditLog)
        );
        assert!(
            !person(&[AccessGrant::tenant_wide(AccessRole::TenantAdmin)])
                .permits(Action::ViewAuditLog)
        );
    }

    #[test]
    fn credential_scopes() {
        let reader = credential(&[Scope::OrgRead]);
        let writer = credential(&[Scope::OrgWrite]);
        let lrs = credential(&[Scope::StatementsWrite]);
        let all = credential(&[Scope::All]);
        assert!(reader.permits(Action::ListPeople { unit_path: None }));
        assert!(!reader.permits(Action::ManagePeople { unit_path: &[] }));
        assert!(writer.permits(Action::ManagePeople { unit_path: &[] }));
        assert!(!lrs.permits(Action::ViewOrgStructure));
        assert!(all.permits(Action::ManageRoles));
        for p in [&reader, &writer, &lrs, &all] {
            assert!(!p.permits(Action::ManageCredentials));
            assert!(!p.permits(Action::ViewAuditLog));
            assert!(!p.permits(Action::AdministerNetwork));
        }
    }

    #[test]
    fn the_catalogue_is_read_by_everyone_and_managed_by_company_wide_lnd() {
        let learner = person(&[]);
        let company_lnd = person(&[AccessGrant::tenant_wide(AccessRole::LndAdmin)]);
        let unit_lnd = person(&[AccessGrant {
            role: AccessRole::LndAdmin,
            org_unit_id: Some(OrgUnitId::generate()),
        }]);
        let tenant_admin = person(&[AccessGrant::tenant_wide(AccessRole::TenantAdmin)]);
        let trainer = person(&[AccessGrant::tenant_wide(AccessRole::Trainer)]);
        assert!(learner.permits(Action::ViewCatalogue));
        assert!(!learner.permits(Action::ManageCatalogue));
        assert!(!trainer.permits(Action::ManageCatalogue));
        assert!(!unit_lnd.permits(Action::ManageCatalogue));
        assert!(company_lnd.permits(Action::ManageCatalogue));
        assert!(tenant_admin.permits(Action::ManageCatalogue));
        let reader = credential(&[Scope::CatalogueRead]);
        let writer = credential(&[Scope::CatalogueWrite]);
        let org = credential(&[Scope::OrgWrite]);
        assert!(reader.permits(Action::ViewCatalogue));
        assert!(!reader.permits(Action::ManageCatalogue));
        assert!(writer.permits(Action::ManageCatalogue));
        assert!(writer.permits(Action::ViewCatalogue));
        assert!(!org.permits(Action::ViewCatalogue));
        assert!(credential(&[Scope::All]).permits(Action::ManageCatalogue));
    }

    #[test]
    fn strategic_goals_are_set_by_lnd_of_the_unit_and_company_admins() {
        let region = OrgUnitId::generate();
        let market = OrgUnitId::generate();
        let other = OrgUnitId::generate();
        let unit_lnd = person(&[AccessGrant {
            role: AccessRole::LndAdmin,
            org_unit_id: Some(region),
        }]);
        let company_lnd = person(&[AccessGrant::tenant_wide(AccessRole::LndAdmin)]);
        let tenant_admin = person(&[AccessGrant::tenant_wide(AccessRole::TenantAdmin)]);
        let learner = person(&[AccessGrant::tenant_wide(AccessRole::Learner)]);
        let manager = person(&[AccessGrant::tenant_wide(AccessRole::Manager)]);
        let below = [region, market];
        let beside = [other];
        assert!(unit_lnd.permits(Action::ManageStrategicGoals { unit_path: &below }));
        assert!(!unit_lnd.permits(Action::ManageStrategicGoals { unit_path: &beside }));
        assert!(company_lnd.permits(Action::ManageStrategicGoals { unit_path: &beside }));
        assert!(tenant_admin.permits(Action::ManageStrategicGoals { unit_path: &beside }));
        assert!(!learner.permits(Action::ManageStrategicGoals { unit_path: &below }));
        assert!(!manager.permits(Action::ManageStrategicGoals { unit_path: &below }));
        // The planning objective is the whole company's: not an L&D admin of one unit.
        assert!(company_lnd.permits(Action::ManagePathPlanning));
        assert!(tenant_admin.permits(Action::ManagePathPlanning));
        assert!(!unit_lnd.permits(Action::ManagePathPlanning));
        assert!(!learner.permits(Action::ManagePathPlanning));
        assert!(credential(&[Scope::OrgWrite]).permits(Action::ManagePathPlanning));
        assert!(!credential(&[Scope::OrgRead])
            .permits(Action::ManageStrategicGoals { unit_path: &below }));
    }

    #[test]
    fn scope_lists_parse_and_name_the_unknown_one() {
        assert_eq!(
            Scope::parse_list("statements/write, state,state"),
            Ok(vec![Scope::StatementsWrite, Scope::State])
        );
        assert_eq!(
            Scope::parse_list("all,statements/wrte"),
            Err("statements/wrte".to_owned())
        );
        for scope in Scope::ALL {
            assert_eq!(
                serde_json::to_value(scope).unwrap(),
                serde_json::json!(scope.as_str())
            );
        }
        for role in AccessRole::ALL {
            assert_eq!(AccessRole::parse(role.as_str()), Some(role));
            assert_eq!(
                serde_json::to_value(role).unwrap(),
                serde_json::json!(role.as_str())
            );
        }
    }
}

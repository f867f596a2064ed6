//! Who may find an opportunity: its audience, and the keys the search index matches it by.

use mycel_organisation::{OrgUnitId, RoleId, TenantId};
use serde::{Deserialize, Serialize};

/// One part of an opportunity's audience; a person who matches any entry may find it. An
/// opportunity without entries is for everyone of the company that owns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum AudienceEntry {
    /// Every member company of the network.
    Network,
    /// Everyone of this member company (the owner's offer to a partner company).
    Company(TenantId),
    /// The people of this org unit of the owner, and of the units below it.
    OrgUnit(OrgUnitId),
    /// The people of the owner who hold (or aspire to) this role.
    Role(RoleId),
}

impl AudienceEntry {
    pub fn kind(self) -> &'static str {
        match self {
            Self::Network => "network",
            Self::Company(_) => "company",
            Self::OrgUnit(_) => "org-unit",
            Self::Role(_) => "role",
        }
    }

    /// The key the search index holds for this entry.
    pub fn key(self) -> String {
        match self {
            Self::Network => "network".to_owned(),
            Self::Company(t) => format!("tenant:{t}"),
            Self::OrgUnit(u) => format!("unit:{u}"),
            Self::Role(r) => format!("role:{r}"),
        }
    }
}

/// The audience keys of an opportunity owned by `owner`.
pub fn audience_keys(owner: TenantId, audience: &[AudienceEntry]) -> Vec<String> {
    if audience.is_empty() {
        return vec![AudienceEntry::Company(owner).key()];
    }
    audience.iter().map(|entry| entry.key()).collect()
}

/// What is known about a person looking for opportunities.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Viewer {
    pub tenant_id: Option<TenantId>,
    /// The person's org unit and its ancestors.
    pub org_unit_path: Vec<OrgUnitId>,
    /// Roles held now or aspired to.
    pub roles: Vec<RoleId>,
}

impl Viewer {
    /// A viewer of a company with no unit or role (a machine client of that company).
    pub fn of_company(tenant_id: TenantId) -> Self {
        Self {
            tenant_id: Some(tenant_id),
            ..Self::default()
        }
    }

    /// The keys this viewer matches; an opportunity is visible when it shares one.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = vec![AudienceEntry::Network.key()];
        keys.extend(self.tenant_id.map(|t| AudienceEntry::Company(t).key()));
        keys.extend(
            self.org_unit_path
                .iter()
                .map(|u| AudienceEntry::OrgUnit(*u).key()),
        );
        keys.extend(self.roles.iter().map(|r| AudienceEntry::Role(*r).key()));
        keys
    }

    /// Whether an opportunity of `owner` with `audience` is meant for this viewer (the same
    /// decision as the search index's, for reading one opportunity).
    pub fn admitted_by(&self, owner: TenantId, audience: &[AudienceEntry]) -> bool {
        let mine = self.keys();
        audience_keys(owner, audience)
            .iter()
            .any(|key| mine.contains(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_audience_means_the_owning_company() {
        let (owner, other) = (TenantId::generate(), TenantId::generate());
        assert!(Viewer::of_company(owner).admitted_by(owner, &[]));
        assert!(!Viewer::of_company(other).admitted_by(owner, &[]));
        assert!(!Viewer::default().admitted_by(owner, &[]));
    }

    #[test]
    fn any_entry_admits() {
        let (owner, partner, stranger) = (
            TenantId::generate(),
            TenantId::generate(),
            TenantId::generate(),
        );
        let (north, south) = (OrgUnitId::generate(), OrgUnitId::generate());
        let driver = RoleId::generate();
        let audience = [
            AudienceEntry::OrgUnit(north),
            AudienceEntry::Role(driver),
            AudienceEntry::Company(partner),
        ];
        let in_north = Viewer {
            tenant_id: Some(owner),
            org_unit_path: vec![OrgUnitId::generate(), north, OrgUnitId::generate()],
            roles: vec![],
        };
        let in_south = Viewer {
            tenant_id: Some(owner),
            org_unit_path: vec![south],
            roles: vec![],
        };
        let south_driver = Viewer {
            roles: vec![driver],
            ..in_south.clone()
        };
        assert!(in_north.admitted_by(owner, &audience));
        assert!(!in_south.admitted_by(owner, &audience));
        assert!(south_driver.admitted_by(owner, &audience));
        assert!(Viewer::of_company(partner).admitted_by(owner, &audience));
        assert!(!Viewer::of_company(stranger).admitted_by(owner, &audience));
        assert!(Viewer::of_company(stranger).admitted_by(owner, &[AudienceEntry::Network]));
    }
}

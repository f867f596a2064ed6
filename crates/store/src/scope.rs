use mycel_organisation::{Principal, TenantId};

/// Permission to touch one tenant's rows. Every tenant-owned method of the [`crate::Store`] takes one,
/// and every backend query filters by it.
///
/// A scope comes from an authenticated principal ([`TenantScope::for_principal`], which only lets
/// network admins into other tenants) or, for trusted local operators such as the command line, from
/// [`TenantScope::system`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TenantScope {
    tenant_id: TenantId,
}

impl TenantScope {
    /// The principal's own tenant.
    pub fn own(principal: &Principal) -> Self {
        Self {
            tenant_id: principal.tenant_id(),
        }
    }

    /// The given tenant, if the principal may enter it; `None` otherwise.
    pub fn for_principal(principal: &Principal, tenant_id: TenantId) -> Option<Self> {
        principal
            .may_enter_tenant(tenant_id)
            .then_some(Self { tenant_id })
    }

    /// For trusted callers that act for the operator of the installation (the command line,
    /// internal jobs, authentication before a principal exists).
    pub fn system(tenant_id: TenantId) -> Self {
        Self { tenant_id }
    }

    pub fn tenant_id(&self) -> TenantId {
        self.tenant_id
    }
}

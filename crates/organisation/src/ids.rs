//! Typed identifiers. Every id is a UUID (version 7, so ids sort by creation time); the newtypes keep
//! a person's id from being passed where an org unit's is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new, time-ordered id.
            pub fn generate() -> Self {
                Self(Uuid::now_v7())
            }
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A member company of the network.
    TenantId
);
id_type!(
    /// A node of a tenant's org unit tree.
    OrgUnitId
);
id_type!(
    /// A person of a tenant (an employee, with or without a login).
    PersonId
);
id_type!(
    /// A role (job profile) of a tenant.
    RoleId
);
id_type!(
    /// An API credential (key and secret) of a machine client.
    CredentialId
);
id_type!(
    /// One line of the audit log.
    AuditEntryId
);
id_type!(
    /// A competency framework ("Kompetenzmodell"): ESCO for the whole network, or a tenant's own or
    /// imported CASE framework.
    FrameworkId
);
id_type!(
    /// A competency (skill, knowledge, skill group, CASE item) of a framework.
    CompetencyId
);
id_type!(
    /// An occupation of a framework (ESCO), the template of role profiles.
    OccupationId
);
id_type!(
    /// A tenant's own proficiency scale ("Kompetenzstufen").
    ProficiencyScaleId
);
id_type!(
    /// One piece of evidence ("Nachweis") of a person's competency.
    EvidenceId
);
id_type!(
    /// A person's own learning goal ("Lernziel"): a competency, a target level, a date.
    LearningGoalId
);
id_type!(
    /// A learning opportunity ("Lernangebot") of the catalogue.
    OpportunityId
);
id_type!(
    /// An external training provider ("Bildungsanbieter") with its terms.
    ProviderId
);
id_type!(
    /// An uploaded e-learning package (cmi5, SCORM 1.2, SCORM 2004) with its files.
    PackageId
);
id_type!(
    /// A room of a company for classroom training.
    RoomId
);
id_type!(
    /// A dated session of a classroom course.
    SessionId
);
id_type!(
    /// A person's enrolment ("Anmeldung") in a session.
    EnrolmentId
);
id_type!(
    /// A strategic goal ("strategisches Ziel") of an org unit: a competency at a target level.
    StrategicGoalId
);

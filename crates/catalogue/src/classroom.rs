//! Classroom training ("Präsenzschulung"): dated sessions of a classroom course with room, trainer,
//! capacity and deadlines; who gets a place, who waits, who moves up; when a person may still
//! cancel; and the calendar invitation.

use chrono::{DateTime, Duration, Utc};
use mycel_organisation::{PersonId, RoomId};
use serde::{Deserialize, Serialize};

/// A room of a company, with how many people it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomDraft {
    pub name: String,
    /// Site and address ("Zentrale Hamburg, Raum 3.12").
    pub location: String,
    pub capacity: u32,
}

/// One dated run of a classroom course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDraft {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Where, when there is no room of the company (a hotel, the provider's site); with a room,
    /// the room's location is shown.
    pub location: String,
    pub room_id: Option<RoomId>,
    pub trainer_id: Option<PersonId>,
    /// A video conference for online or hybrid sessions.
    pub online_link: Option<String>,
    /// Places; at most the room's capacity.
    pub capacity: u32,
    /// A manager or L&D confirms each enrolment first.
    pub requires_approval: bool,
    /// Until when a participant may cancel themselves; none: until the start.
    pub cancellation_deadline: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClassroomError {
    #[error("name: give the room a name (at most 200 characters)")]
    RoomName,
    #[error("capacity: must be between 1 and 10000")]
    Capacity,
    #[error("ends_at: a session ends after it starts, within 14 days")]
    Times,
    #[error("capacity: the room holds {room} people, fewer than {wanted}")]
    RoomTooSmall { room: u32, wanted: u32 },
    #[error("cancellation_deadline: must be before the session starts")]
    Deadline,
    #[error("online_link: {0:?} is not an http or https address")]
    OnlineLink(String),
    #[error("location: give a room or a location (at most 500 characters)")]
    Location,
    #[error("trainer_id: the trainer has another session at that time")]
    TrainerBusy,
    #[error("room_id: the room is booked at that time")]
    RoomBusy,
}

impl ClassroomError {
    pub fn field(&self) -> &'static str {
        match self {
            Self::RoomName => "name",
            Self::Capacity | Self::RoomTooSmall { .. } => "capacity",
            Self::Times => "ends_at",
            Self::Deadline => "cancellation_deadline",
            Self::OnlineLink(_) => "online_link",
            Self::Location => "location",
            Self::TrainerBusy => "trainer_id",
            Self::RoomBusy => "room_id",
        }
    }

    pub fn reason(&self) -> String {
        crate::reason_of(self.to_string())
    }
}

const MAX_CAPACITY: u32 = 10_000;

impl RoomDraft {
    pub fn validate(&self) -> Result<(), ClassroomError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(ClassroomError::RoomName);
        }
        if self.location.chars().count() > 500 {
            return Err(ClassroomError::Location);
        }
        if !(1..=MAX_CAPACITY).contains(&self.capacity) {
            return Err(ClassroomError::Capacity);
        }
        Ok(())
    }
}

impl SessionDraft {
    /// The rules of one session; `room_capacity`: the capacity of its room, if it has one.
    pub fn validate(&self, room_capacity: Option<u32>) -> Result<(), ClassroomError> {
        if self.ends_at <= self.starts_at || self.ends_at - self.starts_at > Duration::days(14) {
            return Err(ClassroomError::Times);
        }
        if !(1..=MAX_CAPACITY).contains(&self.capacity) {
            return Err(ClassroomError::Capacity);
        }
        if let Some(room) = room_capacity {
            if room < self.capacity {
                return Err(ClassroomError::RoomTooSmall {
                    room,
                    wanted: self.capacity,
                });
            }
        }
        if self
            .cancellation_deadline
            .is_some_and(|d| d > self.starts_at)
        {
            return Err(ClassroomError::Deadline);
        }
        if let Some(link) = &self.online_link {
            if link.len() > crate::opportunity::MAX_LINK
                || !crate::opportunity::is_web_address(link)
            {
                return Err(ClassroomError::OnlineLink(link.clone()));
            }
        }
        let location = self.location.trim();
        if location.chars().count() > 500
            || (location.is_empty() && self.room_id.is_none() && self.online_link.is_none())
        {
            return Err(ClassroomError::Location);
        }
        Ok(())
    }

    /// Whether this session's time overlaps another's (touching ends do not overlap: a trainer
    /// may teach 9–12 and 12–15).
    pub fn overlaps(&self, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> bool {
        self.starts_at < ends_at && starts_at < self.ends_at
    }

    /// Until when participants may cancel themselves.
    pub fn cancellable_until(&self) -> DateTime<Utc> {
        self.cancellation_deadline.unwrap_or(self.starts_at)
    }
}

/// Where an enrolment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnrolmentStatus {
    /// Waits for a manager's or L&D's approval.
    Requested,
    /// Has a place.
    Confirmed,
    /// Waits for a place; moves up when one frees.
    Waitlisted,
    /// Cancelled by the person, refused, or the session was cancelled.
    Cancelled,
    /// Was there (from the trainer's attendance list).
    Attended,
    /// Had a place and did not come.
    NoShow,
}

impl EnrolmentStatus {
    pub const ALL: [EnrolmentStatus; 6] = [
        Self::Requested,
        Self::Confirmed,
        Self::Waitlisted,
        Self::Cancelled,
        Self::Attended,
        Self::NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Confirmed => "confirmed",
            Self::Waitlisted => "waitlisted",
            Self::Cancelled => "cancelled",
            Self::Attended => "attended",
            Self::NoShow => "no-show",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Holds one of the session's places.
    pub fn takes_place(self) -> bool {
        matches!(self, Self::Confirmed | Self::Attended | Self::NoShow)
    }

    /// Still active (not cancelled, not yet over).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Requested | Self::Confirmed | Self::Waitlisted)
    }
}

/// The status of a new enrolment, given how many places are taken.
pub fn status_for_new_enrolment(
    taken: u32,
    capacity: u32,
    requires_approval: bool,
    approved: bool,
) -> EnrolmentStatus {
    if requires_approval && !approved {
        EnrolmentStatus::Requested
    } else if taken < capacity {
        EnrolmentStatus::Confirmed
    } else {
        EnrolmentStatus::Waitlisted
    }
}

/// How many of the waiting (in the order they enrolled) move up when places free: as many as
/// there are free places.
pub fn promotions(taken: u32, capacity: u32, waiting: usize) -> usize {
    let free = capacity.saturating_sub(taken) as usize;
    free.min(waiting)
}

/// Whether a person may still cancel themselves (managers and L&D may always).
pub fn may_cancel(now: DateTime<Utc>, session: &SessionDraft) -> bool {
    now <= session.cancellable_until()
}

/// What a calendar invitation needs.
#[derive(Clone, Debug)]
pub struct Invitation<'a> {
    /// Stable across updates of the same session and person, so calendars replace, not add.
    pub uid: String,
    pub title: &'a str,
    pub description: &'a str,
    pub session: &'a SessionDraft,
    pub location: &'a str,
    /// `REQUEST` (enrolled) or `CANCEL`.
    pub cancelled: bool,
    pub sequence: u32,
}

/// An iCalendar (RFC 5545) invitation for a session.
pub fn ical_invitation(invitation: &Invitation<'_>) -> String {
    use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
    let session = invitation.session;
    let mut event = Event::new();
    event
        .uid(&invitation.uid)
        .summary(invitation.title)
        .description(invitation.description)
        .starts(session.starts_at)
        .ends(session.ends_at)
        .location(invitation.location)
        .sequence(invitation.sequence)
        .status(if invitation.cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    if let Some(link) = &session.online_link {
        event.url(link);
    }
    let mut calendar = Calendar::new();
    calendar.append_property((
        "METHOD",
        if invitation.cancelled {
            "CANCEL"
        } else {
            "REQUEST"
        },
    ));
    calendar.push(event.done());
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, h, 0, 0).unwrap()
    }

    fn session() -> SessionDraft {
        SessionDraft {
            starts_at: at(9),
            ends_at: at(16),
            location: "Zentrale Hamburg".into(),
            room_id: None,
            trainer_id: None,
            online_link: None,
            capacity: 12,
            requires_approval: false,
            cancellation_deadline: Some(at(9) - Duration::days(3)),
        }
    }

    #[test]
    fn sessions_follow_their_rules() {
        assert_eq!(session().validate(None), Ok(()));
        assert_eq!(session().validate(Some(12)), Ok(()));
        assert_eq!(
            session().validate(Some(10)),
            Err(ClassroomError::RoomTooSmall {
                room: 10,
                wanted: 12
            })
        );
        let backwards = SessionDraft {
            ends_at: at(8),
            ..session()
        };
        assert_eq!(backwards.validate(None), Err(ClassroomError::Times));
        let late_deadline = SessionDraft {
            cancellation_deadline: Some(at(10)),
            ..session()
        };
        assert_eq!(late_deadline.validate(None), Err(ClassroomError::Deadline));
        let nowhere = SessionDraft {
            location: " ".into(),
            ..session()
        };
        assert_eq!(nowhere.validate(None), Err(ClassroomError::Location));
        let online = SessionDraft {
            online_link: Some("https://meet.example/raum".into()),
            ..nowhere.clone()
        };
        assert_eq!(online.validate(None), Ok(()));
        let empty = SessionDraft {
            capacity: 0,
            ..session()
        };
        assert_eq!(empty.validate(None).unwrap_err().field(), "capacity");
    }

    #[test]
    fn overlap_is_strict() {
        let s = session();
        assert!(s.overlaps(at(15), at(17)));
        assert!(s.overlaps(at(8), at(20)));
        assert!(!s.overlaps(at(16), at(18)), "touching ends do not overlap");
        assert!(!s.overlaps(at(6), at(9)));
    }

    #[test]
    fn places_waitlist_and_approval() {
        use EnrolmentStatus::*;
        assert_eq!(status_for_new_enrolment(11, 12, false, false), Confirmed);
        assert_eq!(status_for_new_enrolment(12, 12, false, false), Waitlisted);
        assert_eq!(status_for_new_enrolment(0, 12, true, false), Requested);
        assert_eq!(status_for_new_enrolment(12, 12, true, true), Waitlisted);
        assert_eq!(promotions(10, 12, 5), 2);
        assert_eq!(promotions(12, 12, 5), 0);
        assert_eq!(promotions(14, 12, 5), 0, "over-full after a capacity cut");
        assert_eq!(promotions(3, 12, 1), 1);
    }

    #[test]
    fn cancelling_until_the_deadline() {
        let s = session();
        assert!(may_cancel(at(9) - Duration::days(4), &s));
        assert!(!may_cancel(at(9) - Duration::days(2), &s));
        let no_deadline = SessionDraft {
            cancellation_deadline: None,
            ..s
        };
        assert!(may_cancel(at(8), &no_deadline));
        assert!(!may_cancel(at(10), &no_deadline));
    }

    #[test]
    fn invitations_are_icalendar() {
        let s = SessionDraft {
            online_link: Some("https://meet.example/kasse".into()),
            ..session()
        };
        let text = ical_invitation(&Invitation {
            uid: "session-1-person-2@mycel".into(),
            title: "Kassenschulung",
            description: "Bitte Ausweis mitbringen; Kommas, Semikolons; und\nZeilen.",
            session: &s,
            location: "Zentrale Hamburg",
            cancelled: false,
            sequence: 0,
        });
        assert!(text.starts_with("BEGIN:VCALENDAR"), "{text}");
        assert!(text.contains("METHOD:REQUEST"), "{text}");
        assert!(text.contains("UID:session-1-person-2@mycel"), "{text}");
        assert!(text.contains("DTSTART:20261207T090000Z"), "{text}");
        assert!(text.contains("DTEND:20261207T160000Z"), "{text}");
        assert!(text.contains("SUMMARY:Kassenschulung"), "{text}");
        assert!(text.contains("Kommas\\, Semikolons\\;"), "escaped: {text}");
        assert!(text.contains("URL:https://meet.example/kasse"), "{text}");
        let cancelled = ical_invitation(&Invitation {
            uid: "x".into(),
            title: "t",
            description: "",
            session: &s,
            location: "",
            cancelled: true,
            sequence: 1,
        });
        assert!(cancelled.contains("METHOD:CANCEL"));
        assert!(cancelled.contains("STATUS:CANCELLED"));
        assert!(cancelled.contains("SEQUENCE:1"));
    }

    #[test]
    fn status_names_round_trip() {
        for s in EnrolmentStatus::ALL {
            assert_eq!(EnrolmentStatus::parse(s.as_str()), Some(s));
        }
    }
}

//! Compliance training ("Pflichtschulung"): how long a completion counts.

use chrono::{DateTime, Months, Utc};

/// When a completion at `completed_at` stops being valid, for an opportunity that must be
/// repeated every `months` months (the same day of the month, or the month's last day).
pub fn valid_until(completed_at: DateTime<Utc>, months: u16) -> DateTime<Utc> {
    completed_at
        .checked_add_months(Months::new(u32::from(months)))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn months_are_calendar_months() {
        let done = Utc.with_ymd_and_hms(2026, 1, 31, 9, 0, 0).unwrap();
        assert_eq!(
            valid_until(done, 1),
            Utc.with_ymd_and_hms(2026, 2, 28, 9, 0, 0).unwrap()
        );
        assert_eq!(
            valid_until(done, 12),
            Utc.with_ymd_and_hms(2027, 1, 31, 9, 0, 0).unwrap()
        );
    }
}

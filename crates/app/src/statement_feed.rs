//! The internal, ordered change feed of the learning record store: other parts of Mycel (evidence,
//! progress, analytics) read new statements in the order they were stored, and are woken when
//! statements arrive instead of polling.
//!
//! Order: every tenant's statements carry a sequence number assigned in commit order (the store
//! takes the tenant's sequence row lock for the whole batch), so a reader that has seen `seq = n`
//! has seen every statement stored before it; none can appear later with a smaller number. The
//! reader keeps its own cursor (the last `seq` it processed) and persists it as it sees fit.

use crate::lrs::LrsResult;
use chrono::{DateTime, SubsecRound, Utc};
use mycel_store::lrs::StoredStatement;
use mycel_store::{Store, TenantScope};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// The write side's coordination: rings whenever statements were stored (in any tenant), so feed
/// readers look for new ones; and knows which writes are still in flight, so that the LRS can say
/// up to which `stored` time its answers are complete (X-Experience-API-Consistent-Through).
#[derive(Debug)]
pub struct StatementSignal {
    sender: watch::Sender<u64>,
    in_flight: std::sync::Mutex<InFlight>,
}

#[derive(Debug, Default)]
struct InFlight {
    next: u64,
    /// Write number → its `stored` time.
    writes: std::collections::BTreeMap<u64, DateTime<Utc>>,
}

impl Default for StatementSignal {
    fn default() -> Self {
        Self {
            sender: watch::channel(0).0,
            in_flight: std::sync::Mutex::default(),
        }
    }
}

/// A write in flight; it ends when dropped (committed or failed).
#[derive(Debug)]
pub struct WriteInFlight<'a> {
    signal: &'a StatementSignal,
    number: u64,
    /// The `stored` time of the statements of this write.
    pub stored: DateTime<Utc>,
}

impl Drop for WriteInFlight<'_> {
    fn drop(&mut self) {
        let mut in_flight = self
            .signal
            .in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        in_flight.writes.remove(&self.number);
    }
}

impl StatementSignal {
    /// Starts a write: its `stored` time is taken while registering it, so that no answer can claim
    /// completeness past it before it committed.
    pub fn begin_write(&self) -> WriteInFlight<'_> {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        let stored = Utc::now().trunc_subsecs(3);
        let number = in_flight.next;
        in_flight.next += 1;
        in_flight.writes.insert(number, stored);
        WriteInFlight {
            signal: self,
            number,
            stored,
        }
    }

    /// The time through which every statement is stored and visible: just before the oldest write
    /// still in flight, or just before the current millisecond (`stored` has millisecond
    /// precision, so a write that starts after this call can still get the current millisecond).
    pub fn consistent_through(&self) -> DateTime<Utc> {
        let in_flight = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        let now = Utc::now().trunc_subsecs(3);
        let before = |t: DateTime<Utc>| t - chrono::Duration::milliseconds(1);
        match in_flight.writes.values().min() {
            Some(oldest) => before(*oldest.min(&now)),
            None => before(now),
        }
    }

    /// Called after statements were committed.
    pub fn stored(&self) {
        self.sender.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A receiver that changes whenever statements were stored.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.sender.subscribe()
    }
}

/// A reader of one tenant's statements, from a cursor on.
#[derive(Debug)]
pub struct StatementFeed {
    store: Arc<dyn Store>,
    scope: TenantScope,
    signal: Arc<StatementSignal>,
    after: i64,
}

impl StatementFeed {
    /// Reads the statements stored after `after` (0: from the first).
    pub fn new(
        store: Arc<dyn Store>,
        scope: TenantScope,
        signal: Arc<StatementSignal>,
        after: i64,
    ) -> Self {
        Self {
            store,
            scope,
            signal,
            after,
        }
    }

    /// Reads only statements stored from now on (for a reader without a saved cursor).
    pub async fn from_latest(
        store: Arc<dyn Store>,
        scope: TenantScope,
        signal: Arc<StatementSignal>,
    ) -> LrsResult<Self> {
        let after = store.latest_statement(scope).await?.map_or(0, |c| c.seq);
        Ok(Self::new(store, scope, signal, after))
    }

    /// The `seq` of the last statement returned.
    pub fn cursor(&self) -> i64 {
        self.after
    }

    /// The next statements (at most `limit`), in stored order. When there are none yet, waits for
    /// new ones up to `wait`, then returns what there is (possibly nothing).
    pub async fn next(&mut self, limit: u32, wait: Duration) -> LrsResult<Vec<StoredStatement>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            // Subscribe before looking, so that a commit between the query and the wait still wakes us.
            let mut rings = self.signal.subscribe();
            rings.borrow_and_update();
            let batch = self
                .store
                .statements_after(self.scope, self.after, limit)
                .await?;
            if let Some(last) = batch.last() {
                self.after = last.seq;
                return Ok(batch);
            }
            match tokio::time::timeout_at(deadline, rings.changed()).await {
                Ok(Ok(())) => continue,
                _ => return Ok(Vec::new()),
            }
        }
    }
}

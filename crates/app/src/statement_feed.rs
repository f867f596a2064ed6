//! The internal, ordered change feed of the learning record store: other parts of Mycel (evidence,
//! progress, analytics) read new statements in the order they were stored, and are woken when
//! statements arrive instead of polling.
//!
//! Order: every tenant's statements carry a sequence number assigned in commit order (the store
//! takes the tenant's sequence row lock for the whole batch), so a reader that has seen `seq = n`
//! has seen every statement stored before it; none can appear later with a smaller number. The
//! reader keeps its own cursor (the last `seq` it processed) and persists it as it sees fit.

use crate::lrs::LrsResult;
use mycel_store::lrs::StoredStatement;
use mycel_store::{Store, TenantScope};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Rings whenever statements were stored (in any tenant); readers then look for new ones.
#[derive(Debug)]
pub struct StatementSignal {
    sender: watch::Sender<u64>,
}

impl Default for StatementSignal {
    fn default() -> Self {
        Self {
            sender: watch::channel(0).0,
        }
    }
}

impl StatementSignal {
    /// Called after statements were committed.
    pub fn stored(&self) {
        self.sender.send_modify(|n| *n = n.wrapping_add(1));
    }

    fn subscribe(&self) -> watch::Receiver<u64> {
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

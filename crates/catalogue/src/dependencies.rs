//! Prerequisites and program parts between opportunities form a graph that must stay acyclic:
//! a learner could never start an opportunity that (through others) requires itself.

use mycel_organisation::OpportunityId;
use std::collections::{HashMap, HashSet};

/// If giving `changed` the dependencies `depends_on` closes a cycle in `graph` (each
/// opportunity → what it depends on), the cycle, starting and ending at `changed`.
pub fn cycle_through(
    graph: &HashMap<OpportunityId, Vec<OpportunityId>>,
    changed: OpportunityId,
    depends_on: &[OpportunityId],
) -> Option<Vec<OpportunityId>> {
    // Depth-first from each new dependency, looking for `changed`; iterative, so a long chain in
    // the data cannot overflow the stack.
    let mut seen: HashSet<OpportunityId> = HashSet::new();
    for &start in depends_on {
        let mut stack: Vec<(OpportunityId, usize)> = vec![(start, 0)];
        let mut path: Vec<OpportunityId> = Vec::new();
        while let Some((node, depth)) = stack.pop() {
            path.truncate(depth);
            if node == changed {
                let mut cycle = vec![changed];
                cycle.extend(path.iter().copied());
                cycle.push(changed);
                return Some(cycle);
            }
            if !seen.insert(node) {
                continue;
            }
            path.push(node);
            for &next in graph.get(&node).map(Vec::as_slice).unwrap_or_default() {
                stack.push((next, depth + 1));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn finds_the_cycle_a_change_would_close() {
        let [a, b, c, d] = [(); 4].map(|_| OpportunityId::generate());
        // b requires c, c requires d.
        let graph = HashMap::from([(b, vec![c]), (c, vec![d])]);
        assert_eq!(cycle_through(&graph, a, &[b]), None);
        assert_eq!(cycle_through(&graph, c, &[d]), None);
        // d requiring b closes d → b → c → d.
        let graph = HashMap::from([(b, vec![c]), (c, vec![d]), (d, vec![])]);
        assert_eq!(cycle_through(&graph, d, &[a, b]), Some(vec![d, b, c, d]));
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let ids: Vec<OpportunityId> = (0..100_000).map(|_| OpportunityId::generate()).collect();
        let graph: HashMap<_, _> = ids.windows(2).map(|w| (w[0], vec![w[1]])).collect();
        let last = *ids.last().unwrap();
        let cycle = cycle_through(&graph, last, &[ids[0]]).unwrap();
        assert_eq!(cycle.len(), ids.len() + 1);
        assert_eq!(cycle.first(), Some(&last));
    }

    #[test]
    fn a_diamond_is_no_cycle() {
        let [a, b, c, d] = [(); 4].map(|_| OpportunityId::generate());
        let graph = HashMap::from([(b, vec![d]), (c, vec![d])]);
        assert_eq!(cycle_through(&graph, a, &[b, c]), None);
    }
}

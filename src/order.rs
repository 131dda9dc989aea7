//! One sort for the whole panel: every list is ordered through a sort of positions, so the wasm holds one copy of
//! the sorting code instead of one per element type and comparison (about 4 KB each).

use std::cmp::Ordering;

/// Sorts `items` stably by `cmp`.
pub fn sort_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .into_iter()
            .filter_map(|i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// Sorts `items` stably by the key `key` gives each.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their natural order.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

/// Sorts positions (indices into a list the comparison knows) stably: the one sort in the wasm.
#[inline(never)]
pub fn sort_positions(positions: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    positions.sort_by(|&a, &b| cmp(a, b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_by_a_key() {
        let mut items = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        sort_by_key(&mut items, |&(k, _)| k);
        assert_eq!(items, [(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
    }

    #[test]
    fn sorts_by_a_comparison_and_naturally() {
        let mut words = vec!["pear", "fig", "apple", "fig"];
        sort_by(&mut words, |a, b| b.len().cmp(&a.len()));
        assert_eq!(words, ["apple", "pear", "fig", "fig"]);
        sort(&mut words);
        assert_eq!(words, ["apple", "fig", "fig", "pear"]);
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }

    #[test]
    fn positions_follow_the_comparison() {
        let values = [30, 10, 20, 10];
        let mut positions = [0, 1, 2, 3];
        sort_positions(&mut positions, &|a, b| values[a].cmp(&values[b]));
        assert_eq!(positions, [1, 3, 2, 0]);
    }
}

//! The product-group tree built from the flat `parentId` list, with child counts, the rows shown when expanded, and a
//! group's subtree (whose products the group shows).

use std::collections::{BTreeMap, BTreeSet};

use crate::api::product::ProductGroup;

/// One group in the tree, with its direct children in name order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupNode {
    pub group: ProductGroup,
    pub children: Vec<i64>,
    /// All groups below this one, at any depth.
    pub descendants: usize,
}

/// The groups as a forest: a group whose parent is missing (filtered out, not loaded) is a root.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupTree {
    nodes: BTreeMap<i64, GroupNode>,
    roots: Vec<i64>,
}

/// A group and the groups below it, as far as a request can carry them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subtree {
    /// The group first, then its sub-groups, nearest first.
    pub ids: Vec<i64>,
    /// Sub-groups beyond the limit, not in `ids`.
    pub left_out: usize,
}

/// One visible line of the tree, in display order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeRow {
    pub id: i64,
    pub name: String,
    pub depth: usize,
    pub child_count: usize,
    pub descendants: usize,
    pub expanded: bool,
    pub active: bool,
    pub site: Option<String>,
}

impl GroupTree {
    /// Builds the tree; a repeated id keeps its first occurrence, and a parent cycle is broken at the group
    /// met first so every group appears exactly once.
    pub fn build(groups: Vec<ProductGroup>) -> GroupTree {
        let mut nodes: BTreeMap<i64, GroupNode> = BTreeMap::new();
        for group in groups {
            nodes.entry(group.id).or_insert(GroupNode {
                group,
                children: Vec::new(),
                descendants: 0,
            });
        }
        let parent_of = |id: i64| -> Option<i64> {
            nodes
                .get(&id)
                .and_then(|n| n.group.parent_id)
                .filter(|p| *p != id && nodes.contains_key(p))
        };
        // A group is attached to its parent only when walking up from it never comes back to it.
        let mut attached: Vec<(i64, i64)> = Vec::new();
        let mut roots = Vec::new();
        for &id in nodes.keys() {
            match parent_of(id) {
                Some(parent) if !reaches(id, parent, &parent_of, nodes.len()) => {
                    attached.push((parent, id))
                }
                _ => roots.push(id),
            }
        }
        for (parent, child) in attached {
            if let Some(node) = nodes.get_mut(&parent) {
                node.children.push(child);
            }
        }
        let name_of = |nodes: &BTreeMap<i64, GroupNode>, id: &i64| {
            nodes
                .get(id)
                .map(|n| (n.group.name.to_lowercase(), *id))
                .unwrap_or_default()
        };
        let ids: Vec<i64> = nodes.keys().copied().collect();
        for id in &ids {
            let mut children = nodes
                .get(id)
                .map(|n| n.children.clone())
                .unwrap_or_default();
            crate::order::sort_by_key(&mut children, |c| name_of(&nodes, c));
            if let Some(node) = nodes.get_mut(id) {
                node.children = children;
            }
        }
        crate::order::sort_by_key(&mut roots, |c| name_of(&nodes, c));
        let mut tree = GroupTree { nodes, roots };
        for root in tree.roots.clone() {
            tree.count_descendants(root);
        }
        tree
    }

    /// Fills `descendants` below `id` (iteratively, so a deep tree cannot overflow the stack).
    fn count_descendants(&mut self, id: i64) {
        let mut order = Vec::new();
        let mut stack = vec![id];
        while let Some(current) = stack.pop() {
            order.push(current);
            if let Some(node) = self.nodes.get(&current) {
                stack.extend(node.children.iter().copied());
            }
        }
        for current in order.into_iter().rev() {
            let below: usize = self
                .nodes
                .get(&current)
                .map(|n| {
                    n.children
                        .iter()
                        .map(|c| 1 + self.nodes.get(c).map_or(0, |c| c.descendants))
                        .sum()
                })
                .unwrap_or(0);
            if let Some(node) = self.nodes.get_mut(&current) {
                node.descendants = below;
            }
        }
    }

    /// How many groups the tree holds.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tree is empty.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The top groups, in name order.
    pub fn roots(&self) -> &[i64] {
        &self.roots
    }

    /// A group by id.
    pub fn node(&self, id: i64) -> Option<&GroupNode> {
        self.nodes.get(&id)
    }

    /// The lines to show: the roots, and the children of every expanded group, depth first.
    pub fn rows(&self, expanded: &BTreeSet<i64>) -> Vec<TreeRow> {
        let mut rows = Vec::new();
        let mut stack: Vec<(i64, usize)> = self.roots.iter().rev().map(|&r| (r, 0)).collect();
        while let Some((id, depth)) = stack.pop() {
            let Some(node) = self.nodes.get(&id) else {
                continue;
            };
            let open = expanded.contains(&id) && !node.children.is_empty();
            rows.push(TreeRow {
                id,
                name: node.group.name.clone(),
                depth,
                child_count: node.children.len(),
                descendants: node.descendants,
                expanded: open,
                active: node.group.active.unwrap_or(true),
                site: node.group.site.clone(),
            });
            if open {
                stack.extend(node.children.iter().rev().map(|&c| (c, depth + 1)));
            }
        }
        rows
    }

    /// Every group that has children (for "expand all").
    pub fn parents(&self) -> BTreeSet<i64> {
        self.nodes
            .iter()
            .filter(|(_, n)| !n.children.is_empty())
            .map(|(id, _)| *id)
            .collect()
    }

    /// The chain of ancestors of `id`, nearest first (to open the tree down to a selected group).
    pub fn ancestors(&self, id: i64) -> Vec<i64> {
        let mut out = Vec::new();
        let mut current = id;
        while let Some(parent) = self.parent(current) {
            if out.contains(&parent) || parent == id {
                break;
            }
            out.push(parent);
            current = parent;
        }
        out
    }

    /// The group `id` and every group below it, nearest first (breadth first), at most `limit` of them; and how many
    /// more there are. A group the tree does not hold is just itself.
    pub fn subtree(&self, id: i64, limit: usize) -> Subtree {
        let mut ids = Vec::new();
        let mut queue = std::collections::VecDeque::from([id]);
        let mut left_out = 0;
        while let Some(current) = queue.pop_front() {
            if ids.len() < limit {
                ids.push(current);
            } else {
                left_out += 1;
            }
            if let Some(node) = self.nodes.get(&current) {
                queue.extend(node.children.iter().copied());
            }
        }
        Subtree { ids, left_out }
    }

    fn parent(&self, id: i64) -> Option<i64> {
        self.nodes
            .iter()
            .find(|(_, n)| n.children.contains(&id))
            .map(|(p, _)| *p)
    }
}

/// Whether walking up from `from` reaches `target` within `limit` steps.
fn reaches(target: i64, from: i64, parent_of: &impl Fn(i64) -> Option<i64>, limit: usize) -> bool {
    let mut current = Some(from);
    for _ in 0..=limit {
        match current {
            Some(c) if c == target => return true,
            Some(c) => current = parent_of(c),
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(id: i64, name: &str, parent: Option<i64>) -> ProductGroup {
        ProductGroup {
            id,
            name: name.into(),
            parent_id: parent,
            active: Some(true),
            site: Some("shop-a".into()),
            ..Default::default()
        }
    }

    #[test]
    fn builds_levels_counts_and_name_order() {
        let tree = GroupTree::build(vec![
            group(3, "b child", Some(1)),
            group(1, "Root", None),
            group(2, "a child", Some(1)),
            group(4, "grand", Some(3)),
            group(5, "Another root", None),
        ]);
        assert_eq!(tree.len(), 5);
        assert_eq!(tree.roots(), &[5, 1]);
        let root = tree.node(1).unwrap();
        assert_eq!(root.children, vec![2, 3]);
        assert_eq!(root.descendants, 3);
        assert_eq!(tree.ancestors(4), vec![3, 1]);
        assert_eq!(tree.parents(), BTreeSet::from([1, 3]));
    }

    #[test]
    fn rows_follow_the_expanded_set() {
        let tree = GroupTree::build(vec![
            group(1, "Root", None),
            group(2, "a", Some(1)),
            group(3, "b", Some(1)),
            group(4, "grand", Some(3)),
        ]);
        let ids = |rows: Vec<TreeRow>| rows.iter().map(|r| (r.id, r.depth)).collect::<Vec<_>>();
        assert_eq!(ids(tree.rows(&BTreeSet::new())), vec![(1, 0)]);
        assert_eq!(
            ids(tree.rows(&BTreeSet::from([1]))),
            vec![(1, 0), (2, 1), (3, 1)]
        );
        let all = tree.rows(&tree.parents());
        assert_eq!(ids(all.clone()), vec![(1, 0), (2, 1), (3, 1), (4, 2)]);
        assert_eq!((all[0].child_count, all[0].expanded), (2, true));
        // Expanding a leaf changes nothing.
        assert!(!tree.rows(&BTreeSet::from([1, 2]))[1].expanded);
    }

    #[test]
    fn orphans_duplicates_and_cycles_do_not_break_it() {
        let tree = GroupTree::build(vec![
            group(1, "self", Some(1)),
            group(2, "orphan", Some(99)),
            group(3, "x", Some(4)),
            group(4, "y", Some(3)),
            group(5, "under the cycle", Some(3)),
            group(2, "duplicate", None),
        ]);
        assert_eq!(tree.len(), 5);
        let rows = tree.rows(&tree.parents());
        assert_eq!(rows.len(), 5, "{rows:?}");
        assert_eq!(tree.node(3).unwrap().children, vec![5]);
        assert_eq!(tree.node(2).unwrap().group.name, "orphan");
        assert!(GroupTree::build(Vec::new())
            .rows(&BTreeSet::new())
            .is_empty());
    }

    #[test]
    fn a_subtree_is_the_group_and_everything_below_it_nearest_first() {
        let tree = GroupTree::build(vec![
            group(1, "Root", None),
            group(2, "a", Some(1)),
            group(3, "b", Some(1)),
            group(4, "grand", Some(3)),
            group(5, "great", Some(4)),
            group(6, "other root", None),
        ]);
        let all = |id| tree.subtree(id, 100);
        assert_eq!(all(1).ids, [1, 2, 3, 4, 5]);
        assert_eq!(all(3).ids, [3, 4, 5]);
        assert_eq!(all(2).ids, [2], "a leaf is itself");
        assert_eq!(all(99).ids, [99], "a group not in the tree is itself");
        assert_eq!(all(1).left_out, 0);
        assert_eq!(
            tree.subtree(1, 3),
            Subtree {
                ids: vec![1, 2, 3],
                left_out: 2
            }
        );
        // Cycles are broken when the tree is built, so a subtree ends.
        let cyclic = GroupTree::build(vec![group(7, "x", Some(8)), group(8, "y", Some(7))]);
        assert_eq!(cyclic.subtree(7, 100).ids, [7]);
    }

    #[test]
    fn a_deep_chain_is_fine() {
        let groups: Vec<ProductGroup> = (1..=2000)
            .map(|i| group(i, "g", (i > 1).then_some(i - 1)))
            .collect();
        let tree = GroupTree::build(groups);
        assert_eq!(tree.node(1).unwrap().descendants, 1999);
        assert_eq!(tree.rows(&tree.parents()).len(), 2000);
        let sub = tree.subtree(1, 200);
        assert_eq!((sub.ids.len(), sub.left_out), (200, 1800));
    }
}

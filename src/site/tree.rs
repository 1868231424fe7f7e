//! The category tree and the credited contributors of the catalogue page
//! (issue 11). A category may sit under a `parent` declared above it; the
//! page lists categories depth first, each followed by its subcategories
//! in `oyez.toml` order, and counts each with everything under it.

use std::collections::HashMap;

use serde::Serialize;

use crate::catalogue::Catalogue;

/// The categories as a tree: indices into `Catalogue::categories`.
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    roots: Vec<usize>,
    children: Vec<Vec<usize>>,
    depth: Vec<usize>,
    /// Entries in the category and every category under it.
    total: Vec<usize>,
}

impl Tree {
    /// The tree of `catalogue`'s categories; `own[i]` is how many entries
    /// category `i` holds itself.
    pub(crate) fn new(catalogue: &Catalogue, own: &[usize]) -> Self {
        let count = catalogue.categories.len();
        let mut tree = Self {
            roots: Vec::new(),
            children: vec![Vec::new(); count],
            depth: vec![0; count],
            total: (0..count)
                .map(|i| own.get(i).copied().unwrap_or(0))
                .collect(),
        };
        for (index, category) in catalogue.categories.iter().enumerate() {
            // Validation makes every parent an earlier category.
            match category.parent.filter(|&parent| parent < index) {
                Some(parent) => {
                    tree.depth[index] = tree.depth[parent] + 1;
                    tree.children[parent].push(index);
                }
                None => tree.roots.push(index),
            }
        }
        for (index, category) in catalogue.categories.iter().enumerate().rev() {
            if let Some(parent) = category.parent.filter(|&parent| parent < index) {
                tree.total[parent] += tree.total[index];
            }
        }
        tree
    }

    /// Every category, depth first.
    pub(crate) fn order(&self) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.depth.len());
        let mut stack: Vec<usize> = self.roots.iter().rev().copied().collect();
        while let Some(index) = stack.pop() {
            order.push(index);
            stack.extend(self.children(index).iter().rev());
        }
        order
    }

    pub(crate) fn roots(&self) -> &[usize] {
        &self.roots
    }

    pub(crate) fn children(&self, index: usize) -> &[usize] {
        self.children.get(index).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn depth(&self, index: usize) -> usize {
        self.depth.get(index).copied().unwrap_or(0)
    }

    pub(crate) fn total(&self, index: usize) -> usize {
        self.total.get(index).copied().unwrap_or(0)
    }

    /// The tree as templates read it (`tree` on the catalogue page).
    pub(crate) fn nodes<'a>(&self, catalogue: &'a Catalogue) -> Vec<Node<'a>> {
        self.roots
            .iter()
            .filter_map(|&index| self.node(catalogue, index))
            .collect()
    }

    fn node<'a>(&self, catalogue: &'a Catalogue, index: usize) -> Option<Node<'a>> {
        let category = catalogue.categories.get(index)?;
        Some(Node {
            slug: &category.slug,
            title: &category.title,
            count: self.total(index),
            children: self
                .children(index)
                .iter()
                .filter_map(|&child| self.node(catalogue, child))
                .collect(),
        })
    }
}

/// How deep category `index` sits: 0 for a top-level one.
pub(crate) fn depth_of(catalogue: &Catalogue, index: usize) -> usize {
    let mut depth = 0;
    let mut at = index;
    while let Some(parent) = catalogue.categories.get(at).and_then(|c| c.parent) {
        if parent >= at {
            break;
        }
        depth += 1;
        at = parent;
    }
    depth
}

/// A category of the tree, for templates.
#[derive(Debug, Serialize)]
pub(crate) struct Node<'a> {
    slug: &'a str,
    title: &'a str,
    /// Entries in it and every category under it.
    count: usize,
    children: Vec<Node<'a>>,
}

/// Someone the entries or the update log credit, for the page's list of
/// contributors.
#[derive(Debug, Serialize)]
pub(crate) struct Credited<'a> {
    pub(crate) handle: &'a str,
    /// From `[contributors]`; none for a handle it does not know, or whose
    /// name is only `@handle` (as `oyez add --by` writes it).
    pub(crate) name: Option<&'a str>,
    pub(crate) uri: Option<&'a str>,
    /// How many entries and update-log records credit them.
    pub(crate) count: usize,
    /// Credited once: their first contribution.
    pub(crate) first_time: bool,
}

/// Everyone the entries and the update log credit (issue 23 §6), most
/// credited first, then by handle.
pub(crate) fn credited(catalogue: &Catalogue) -> Vec<Credited<'_>> {
    // Counted by hash (a handle a lookup, 100,000 of them at 100,000
    // entries), then put in order: the order never depends on the hash.
    let mut counts: HashMap<&str, usize, foldhash::fast::RandomState> = HashMap::default();
    let entries = catalogue.entries.iter().flat_map(|entry| &entry.by);
    for handle in entries.chain(catalogue.updates.iter().flat_map(|update| &update.by)) {
        *counts.entry(handle.as_str()).or_default() += 1;
    }
    let mut credited: Vec<Credited<'_>> = counts
        .into_iter()
        .map(|(handle, count)| {
            let known = catalogue.contributors.get(handle);
            let name = known.map(|k| k.name.as_str());
            Credited {
                handle,
                name: name.filter(|name| name.strip_prefix('@') != Some(handle)),
                uri: known
                    .and_then(|k| k.uri.as_deref())
                    .filter(|u| !u.is_empty()),
                count,
                first_time: count == 1,
            }
        })
        .collect();
    credited.sort_by(|a, b| b.count.cmp(&a.count).then(a.handle.cmp(b.handle)));
    credited
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Category;

    fn category(slug: &str, parent: Option<usize>) -> Category {
        Category {
            slug: slug.into(),
            title: slug.to_uppercase(),
            description: None,
            parent,
            intro: None,
        }
    }

    #[test]
    fn subcategories_follow_their_parent_and_count_into_it() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut catalogue = crate::catalogue::load(dir).unwrap().catalogue;
        catalogue.categories = vec![
            category("a", None),
            category("b", None),
            category("a1", Some(0)),
            category("b1", Some(1)),
            category("a1x", Some(2)),
            category("a2", Some(0)),
        ];
        let tree = Tree::new(&catalogue, &[1, 2, 3, 4, 5, 6]);
        assert_eq!(tree.order(), vec![0, 2, 4, 5, 1, 3]);
        assert_eq!(
            (tree.total(0), tree.total(1), tree.total(2)),
            (1 + 3 + 5 + 6, 2 + 4, 3 + 5)
        );
        assert_eq!((tree.depth(4), depth_of(&catalogue, 4)), (2, 2));
        let nodes = serde_json::to_string(&tree.nodes(&catalogue)).unwrap();
        assert!(
            nodes.starts_with(r#"[{"slug":"a","title":"A","count":15,"children":[{"slug":"a1""#)
        );
    }
}

//! Who git credits for an entry's line, truthfully: a handle only where one
//! is known, from (in order) the catalogue's `[contributors]` aliases, the
//! commit's GitHub noreply address, the same person's noreply address in
//! another commit of the list, or the author of the merged pull request;
//! otherwise the name stays a name. `Co-authored-by` trailers are credited
//! the same way.

use std::collections::BTreeMap;

use crate::authoring::git::{self, Commit, Found};
use crate::catalogue::Catalogue;

/// How a handle was found, for the import summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Alias,
    Noreply,
    OtherCommit,
    PullRequest,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Alias => "[contributors] aliases",
            Self::Noreply => "GitHub noreply addresses",
            Self::OtherCommit => "the same author's noreply address in another commit",
            Self::PullRequest => "merged pull requests' authors",
        }
    }
}

/// One person a commit credits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Credit {
    Handle {
        handle: String,
        name: String,
        /// Known as a GitHub account (noreply address, pull request).
        github: bool,
        source: Source,
    },
    /// No handle is known: the author's name, kept as written.
    Name(String),
}

/// Names and e-mail addresses (lower case) → handles.
#[derive(Debug, Default)]
pub(super) struct People {
    aliases: BTreeMap<String, String>,
    learned: BTreeMap<String, String>,
    /// The owner of the list's own repository (its `origin` remote): a
    /// pull request "from owner/branch" came from a branch of the list
    /// itself, so `owner` is not its author (issue 22).
    owner: Option<String>,
}

impl People {
    /// The catalogue's aliases, and what the history's noreply addresses teach.
    pub(super) fn new(history: &[Commit], existing: Option<&Catalogue>) -> Self {
        let mut people = Self::default();
        for (handle, contributor) in existing.map(|c| &c.contributors).into_iter().flatten() {
            for alias in &contributor.aliases {
                people.aliases.insert(alias.to_lowercase(), handle.clone());
            }
        }
        let authors = history.iter().flat_map(|commit| {
            std::iter::once((commit.name.as_str(), commit.email.as_str())).chain(
                commit
                    .co_authors
                    .iter()
                    .map(|(name, email)| (name.as_str(), email.as_str())),
            )
        });
        for (name, email) in authors {
            if let Some(handle) = git::noreply_handle(email) {
                for key in [name, email] {
                    let key = key.trim().to_lowercase();
                    if !key.is_empty() {
                        people
                            .learned
                            .entry(key)
                            .or_insert_with(|| handle.to_owned());
                    }
                }
            }
        }
        people
    }

    /// The same, for a list whose repository belongs to `owner`.
    pub(super) fn owned_by(self, owner: Option<String>) -> Self {
        Self { owner, ..self }
    }

    /// Everyone credited for the line `found` points at.
    pub(super) fn credits(&self, found: Found<'_>) -> Vec<Credit> {
        let commit = found.written;
        let mut credits = vec![self.person(&commit.name, &commit.email)];
        let pull_request = [found.written, found.landed]
            .into_iter()
            .filter(|c| c.merge)
            .find_map(|c| git::merged_pull_request_author(&c.subject))
            .filter(|handle| {
                let own = self.owner.as_deref();
                !own.is_some_and(|owner| owner.eq_ignore_ascii_case(handle))
            });
        if let (Some(Credit::Name(name)), Some(handle)) = (credits.first(), pull_request) {
            let name = name.clone();
            credits[0] = self.pull_request(handle, &name);
        }
        for (name, email) in &commit.co_authors {
            credits.push(self.person(name, email));
        }
        let mut unique: Vec<Credit> = Vec::new();
        for credit in credits {
            if !unique.iter().any(|known| same(known, &credit)) {
                unique.push(credit);
            }
        }
        unique
    }

    fn person(&self, name: &str, email: &str) -> Credit {
        let name = name.trim();
        let handle = |handle: &str, github, source| Credit::Handle {
            handle: handle.to_owned(),
            name: if name.is_empty() {
                handle.to_owned()
            } else {
                name.to_owned()
            },
            github,
            source,
        };
        let keys = [email.trim().to_lowercase(), name.to_lowercase()];
        if let Some(found) = keys.iter().find_map(|k| self.aliases.get(k)) {
            return handle(found, false, Source::Alias);
        }
        if let Some(found) = git::noreply_handle(email) {
            return handle(found, true, Source::Noreply);
        }
        if let Some(found) = keys.iter().find_map(|k| self.learned.get(k)) {
            return handle(found, true, Source::OtherCommit);
        }
        Credit::Name(name.to_owned())
    }

    fn pull_request(&self, handle: &str, name: &str) -> Credit {
        let known = self
            .aliases
            .values()
            .find(|h| h.eq_ignore_ascii_case(handle));
        Credit::Handle {
            handle: known.map_or(handle, String::as_str).to_owned(),
            name: if name.is_empty() {
                handle.to_owned()
            } else {
                name.to_owned()
            },
            github: known.is_none(),
            source: Source::PullRequest,
        }
    }
}

fn same(a: &Credit, b: &Credit) -> bool {
    match (a, b) {
        (Credit::Handle { handle: x, .. }, Credit::Handle { handle: y, .. }) => x == y,
        (Credit::Name(x), Credit::Name(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(name: &str, email: &str) -> Commit {
        Commit {
            name: name.into(),
            email: email.into(),
            mainline: true,
            ..Commit::default()
        }
    }

    fn credit(people: &People, commit: &Commit) -> Vec<Credit> {
        people.credits(Found {
            landed: commit,
            written: commit,
        })
    }

    #[test]
    fn handles_come_only_from_what_names_them() {
        let noreply = commit("Alex Fernández", "99+alexfh@users.noreply.github.com");
        let same_person = commit("Alex Fernández", "alex@example.org");
        let stranger = commit("Paweł Kosiec", "pawel@example.org");
        let people = People::new(
            &[noreply.clone(), same_person.clone(), stranger.clone()],
            None,
        );
        let handle = |c: &Commit| match credit(&people, c).remove(0) {
            Credit::Handle { handle, source, .. } => Some((handle, source)),
            Credit::Name(_) => None,
        };
        assert_eq!(handle(&noreply), Some(("alexfh".into(), Source::Noreply)));
        assert_eq!(
            handle(&same_person),
            Some(("alexfh".into(), Source::OtherCommit))
        );
        assert_eq!(
            credit(&people, &stranger),
            [Credit::Name("Paweł Kosiec".into())]
        );
    }

    #[test]
    fn merged_pull_requests_and_co_authors_are_credited() {
        let mut merge = commit("Maintainer", "m@example.org");
        merge.merge = true;
        merge.subject = "Merge pull request #7 from pkosiec/patch-1".into();
        merge.co_authors = vec![("Eve".into(), "eve@users.noreply.github.com".into())];
        let people = People::new(std::slice::from_ref(&merge), None);
        let handles: Vec<String> = credit(&people, &merge)
            .into_iter()
            .filter_map(|c| match c {
                Credit::Handle { handle, .. } => Some(handle),
                Credit::Name(_) => None,
            })
            .collect();
        assert_eq!(handles, ["pkosiec", "eve"]);
    }

    // Issue 22: a branch of the list's own repository names its owner,
    // not the pull request's author; the name of who wrote the line stays.
    #[test]
    fn a_branch_of_the_list_itself_credits_no_organisation() {
        let mut merge = commit("Dana Dev", "dana@example.org");
        merge.merge = true;
        merge.subject = "Merge pull request #9 from acme/add-x".into();
        let people = People::new(std::slice::from_ref(&merge), None);
        assert!(
            matches!(&credit(&people, &merge)[0], Credit::Handle { handle, .. } if handle == "acme")
        );
        let people = people.owned_by(Some("ACME".into()));
        assert_eq!(credit(&people, &merge), [Credit::Name("Dana Dev".into())]);
    }
}

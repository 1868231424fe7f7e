//! The names of the strings (`table.toml`'s keys), as a closed set: a
//! misspelt key is a compile error, and a string is found by index.

macro_rules! keys {
    ($($key:ident),+ $(,)?) => {
        /// A string of the table, by name. A `_one` key is followed by its
        /// `_other` twin ([`Key::other`]).
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key {
            $($key),+
        }

        impl Key {
            /// Every key, in table order.
            pub const ALL: &[Key] = &[$(Key::$key),+];

            /// Its name in `table.toml` and `[strings]`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Key::$key => stringify!($key)),+
                }
            }
        }
    };
}

keys!(
    resources_one,
    resources_other,
    follow,
    updates_only,
    past_digests,
    by_email,
    subscribe_digest,
    subscribe_category,
    every_feed,
    entries_opml,
    follow_tag,
    follow_language,
    filter,
    filter_placeholder,
    filter_of,
    categories,
    recently_added,
    updates,
    contributors,
    first_time,
    in_category,
    by,
    suggested_by,
    new_count_one,
    new_count_other,
    published_with,
    thanks_to,
    list_follow,
    contents,
    list_thanks,
    new_resources_one,
    new_resources_other,
    log_notes_one,
    log_notes_other,
    updates_count_one,
    updates_count_other,
    both,
    dated_day,
    dated_range,
    update_log,
    suggested_by_mail,
    thank_you_list,
    thank_you,
    welcome_one,
    welcome_other,
    whole_catalogue,
    follow_feed,
    unsubscribe,
    or,
    by_email_link,
    on_the_web,
    digest_title,
    past_digests_feed,
    atom_feed,
    update_title,
    update_title_one,
    update_title_other,
    feed_updates,
    feed_tagged,
    feed_digests,
    feed_language,
    view_suffix,
    view_web_feed,
    view_readers,
    view_subscribe,
    view_read,
    view_page,
    view_subscribe_page,
    language_de,
    language_en,
    language_es,
    language_fr,
    language_it,
    language_pt,
);

impl Key {
    /// The key named `name`.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|key| key.name() == name)
    }

    /// The key after this one: a `_one` key's `_other` twin.
    pub fn other(self) -> Self {
        Self::ALL.get(self as usize + 1).copied().unwrap_or(self)
    }

    /// The `_one` key of the plural named `base` (`resources`).
    pub fn plural_named(base: &str) -> Option<Self> {
        Self::named(&format!("{base}_one"))
    }
}

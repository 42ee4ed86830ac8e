//! The code reference search behind the reference panel: the knowledge base's ranked search,
//! returning cards in the page's language.

use crate::codes::{self, reference::Card};

/// The best matching cards for `query` in `lang` (`en`, `es`), exact numbers first.
pub fn search(query: &str, lang: &str) -> Vec<Card> {
    codes::search_cards(query, lang, 12)
}

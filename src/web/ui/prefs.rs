//! Remembered preferences (language, theme) in localStorage.

use crate::web::i18n::Lang;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The remembered language, else the browser's.
pub fn load_lang() -> Lang {
    if let Some(l) = storage().and_then(|s| s.get_item("cdrscope.lang").ok()?) {
        return Lang::parse(&l);
    }
    let nav = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default();
    Lang::parse(&nav)
}

/// Remembers the language.
pub fn save_lang(l: Lang) {
    if let Some(s) = storage() {
        let _ = s.set_item("cdrscope.lang", l.code());
    }
}

/// The remembered theme, else the system's.
pub fn load_dark() -> bool {
    if let Some(t) = storage().and_then(|s| s.get_item("cdrscope.theme").ok()?) {
        return t == "dark";
    }
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok()?)
        .is_some_and(|m| m.matches())
}

/// Remembers the theme.
pub fn save_dark(dark: bool) {
    if let Some(s) = storage() {
        let _ = s.set_item("cdrscope.theme", if dark { "dark" } else { "light" });
    }
}

//! The destination of a called number: the steps of docs/outcomes.md section 2.
//!
//! [`NumberPlan::destination`] runs once per call on files of tens of millions of calls, so it
//! works on the number's bytes and allocates nothing unless a number with separators is longer
//! than 64 bytes.

use super::calling_codes::{self, Region};
use super::user_prefixes::UserPrefixes;
use super::Lang;
use serde::{Deserialize, Serialize};

/// The longest number (after the scheme and `@`/`;` cut) whose separators are dropped on the stack.
const STACK_NUMBER: usize = 64;

/// The destination of a called number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Destination {
    /// No number (empty or a literal NULL): key `(none)`.
    None,
    /// An internal number (a short number, a service code, a dial-plan name): key `internal`.
    Internal,
    /// A national number that no home country resolves: key `national`.
    National,
    /// An international number that starts with no assigned calling code: key `unknown`.
    Unknown,
    /// An international number's E.164 country calling code (`86`).
    Country(&'static str),
    /// The user prefix that matched, as an index into [`NumberPlan::user_prefixes`].
    User(usize),
}

/// How called numbers are read into destinations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberPlan {
    /// Numbers of at most this many digits are internal (6 unless changed).
    pub short_max_digits: u8,
    /// The home country that national numbers belong to, if one is set.
    pub home: Option<Region>,
    /// The user prefix list, matched before everything else.
    user: UserPrefixes,
}

impl Default for NumberPlan {
    fn default() -> Self {
        NumberPlan {
            short_max_digits: 6,
            home: None,
            user: UserPrefixes::default(),
        }
    }
}

/// A digit (the byte classes of step 2 follow).
const DIGIT: u8 = 0;
/// A separator dropped from a number: space, `-`, `.`, `(`, `)`.
const SEPARATOR: u8 = 1;
/// The end of the number (`@`, `;`: a SIP URI's host or parameters follow).
const END: u8 = 2;
/// A `+`, the international form when it comes first.
const PLUS: u8 = 3;
/// Any other byte: the number is not all digits.
const OTHER: u8 = 4;

/// The class of every byte.
static CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut d = b'0';
    while d <= b'9' {
        t[d as usize] = DIGIT;
        d += 1;
    }
    t[b' ' as usize] = SEPARATOR;
    t[b'-' as usize] = SEPARATOR;
    t[b'.' as usize] = SEPARATOR;
    t[b'(' as usize] = SEPARATOR;
    t[b')' as usize] = SEPARATOR;
    t[b'@' as usize] = END;
    t[b';' as usize] = END;
    t[b'+' as usize] = PLUS;
    t
};

/// Whether a byte is a separator dropped from a number (step 2).
#[inline]
fn is_separator(b: u8) -> bool {
    CLASS[usize::from(b)] == SEPARATOR
}

/// Whether a trimmed field is a literal NULL spelling (`NULL`, `\N`, `(null)`, `None`).
#[inline]
fn is_null(s: &[u8]) -> bool {
    match s.len() {
        2 => s == b"\\N" || s == b"\\n",
        4 => s.eq_ignore_ascii_case(b"null") || s.eq_ignore_ascii_case(b"none"),
        6 => s.eq_ignore_ascii_case(b"(null)"),
        _ => false,
    }
}

/// A called number after step 2's scheme strip and `@`/`;` cut, read in one pass.
struct Stripped<'a> {
    /// The number, separators still in.
    text: &'a [u8],
    /// Whether it has a separator to drop.
    separators: bool,
    /// Whether it is digits only, but for a `+` first (separators aside).
    digits: bool,
}

/// Step 2 up to the separators: the number without its `sip:`/`sips:`/`tel:` scheme and from the
/// first `@` or `;` on; `None` when the field is empty.
#[inline]
fn strip(number: &str) -> Option<Stripped<'_>> {
    let s = number.as_bytes().trim_ascii();
    if s.is_empty() || (matches!(s[0], b'n' | b'N' | b'\\' | b'(') && is_null(s)) {
        return None;
    }
    let scheme = |p: &[u8]| s.len() >= p.len() && s[..p.len()].eq_ignore_ascii_case(p);
    let s = match s[0] {
        b's' | b'S' if scheme(b"sip:") => &s[4..],
        b's' | b'S' if scheme(b"sips:") => &s[5..],
        b't' | b'T' if scheme(b"tel:") => &s[4..],
        _ => s,
    };
    // Per class, whether the number has a byte of it; `END` stops the scan.
    let mut seen = 0u8;
    let mut plus = 0usize;
    let mut end = s.len();
    for (i, &b) in s.iter().enumerate() {
        let c = CLASS[usize::from(b)];
        if c == END {
            end = i;
            break;
        }
        seen |= 1 << c;
        plus += usize::from(c == PLUS);
    }
    let text = &s[..end];
    let separators = seen & (1 << SEPARATOR) != 0;
    let digits = seen & (1 << OTHER) == 0
        && (plus == 0 || (plus == 1 && text.iter().find(|&&b| !is_separator(b)) == Some(&b'+')));
    Some(Stripped {
        text,
        separators,
        digits,
    })
}

/// The user's choices for reading numbers, as the CLI flags and the page's settings give them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanSettings {
    /// The home country as an ISO 3166 region (`US`, `ES`), which resolves national numbers.
    pub home: Option<String>,
    /// Numbers of at most this many digits are internal (6 when unset).
    pub short_max_digits: Option<u8>,
    /// The user prefix list: `(prefix, name)` pairs, longest prefix first wins.
    pub prefixes: Vec<(String, String)>,
}

impl NumberPlan {
    /// The default plan: 6-digit short numbers, no home country, no user prefixes.
    pub fn new() -> Self {
        Self::default()
    }

    /// The plan the settings describe; an unknown home country is an error naming it.
    pub fn from_settings(s: &PlanSettings) -> Result<Self, String> {
        let mut plan = NumberPlan::new();
        plan.set_home(s.home.as_deref())?;
        if let Some(n) = s.short_max_digits {
            plan.short_max_digits = n;
        }
        plan.set_user_prefixes(s.prefixes.clone());
        Ok(plan)
    }

    /// Sets the home country from an ISO 3166 region (`US`, `es`), or clears it with `None`.
    pub fn set_home(&mut self, iso: Option<&str>) -> Result<(), String> {
        self.home = match iso.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(iso) => {
                Some(calling_codes::region(iso).ok_or_else(|| format!("unknown region {iso:?}"))?)
            }
        };
        Ok(())
    }

    /// Sets the user prefix list (`(prefix, name)` pairs, as [`super::parse_prefix_list`] reads them).
    pub fn set_user_prefixes(&mut self, list: Vec<(String, String)>) {
        self.user = UserPrefixes::new(list);
    }

    /// The user prefix list.
    pub fn user_prefixes(&self) -> &[(String, String)] {
        self.user.list()
    }

    /// The destination of a called number; `international` says the number is international as
    /// written, without `+`/`00`/`011` (VOS3000's callee numbers).
    #[inline]
    pub fn destination(&self, number: &str, international: bool) -> Destination {
        let Some(Stripped {
            text,
            separators,
            digits,
        }) = strip(number)
        else {
            return Destination::None;
        };
        if !separators {
            return self.classify(text, digits, international);
        }
        if text.len() <= STACK_NUMBER {
            let mut buf = [0u8; STACK_NUMBER];
            let mut n = 0;
            for &b in text.iter().filter(|&&b| !is_separator(b)) {
                buf[n] = b;
                n += 1;
            }
            self.classify(&buf[..n], digits, international)
        } else {
            let v: Vec<u8> = text.iter().copied().filter(|&b| !is_separator(b)).collect();
            self.classify(&v, digits, international)
        }
    }

    /// Steps 3–8 on a number without scheme, tail and separators; `digits` says it is digits but
    /// for a leading `+`.
    #[inline]
    fn classify(&self, n: &[u8], digits: bool, international: bool) -> Destination {
        // Step 3: the international form.
        let (n, international) = match n {
            [b'+', rest @ ..] => (rest, true),
            [b'0', b'0', rest @ ..] => (rest, true),
            [b'0', b'1', b'1', rest @ ..] => (rest, true),
            _ => (n, international),
        };
        let user =
            |head: &[u8], tail: &[u8], d: Destination| match self.user.longest_match(head, tail) {
                Some(i) => Destination::User(i),
                None => d,
            };
        // Steps 4 and 5: internal numbers.
        if !digits || n.len() <= usize::from(self.short_max_digits) || n.is_empty() {
            return user(n, b"", Destination::Internal);
        }
        // Step 6: an international number's calling code.
        if international {
            let d = calling_codes::country_code_bytes(n)
                .map_or(Destination::Unknown, Destination::Country);
            return user(n, b"", d);
        }
        // Step 7: a national number, read as the home country's when one is set.
        if let Some(home) = &self.home {
            let national = if home.is_nanp() {
                match n.len() {
                    10 => Some(n),
                    11 if n[0] == b'1' => Some(&n[1..]),
                    _ => None,
                }
            } else {
                n.strip_prefix(home.trunk_prefix.as_bytes())
            };
            if let Some(national) = national {
                let code = home.code.as_bytes();
                return user(code, national, Destination::Country(home.code));
            }
        }
        user(n, b"", Destination::National)
    }

    /// The grouping key of a destination: the calling code (`86`), the user prefix, `internal`,
    /// `national`, `(none)` or `unknown`.
    pub fn key<'a>(&'a self, d: &Destination) -> &'a str {
        match *d {
            Destination::None => "(none)",
            Destination::Internal => "internal",
            Destination::National => "national",
            Destination::Unknown => "unknown",
            Destination::Country(code) => code,
            Destination::User(i) => self.user.list().get(i).map_or("unknown", |(p, _)| p),
        }
    }

    /// The display name of a grouping key made by [`NumberPlan::key`]: the user prefix's name,
    /// the country's name, or the key's words in the language.
    pub fn label_of_key<'a>(&'a self, key: &'a str, lang: Lang) -> &'a str {
        if let Some((_, name)) = self.user.list().iter().find(|(p, _)| p == key) {
            return name;
        }
        let d = match key {
            "(none)" | "" => Destination::None,
            "internal" => Destination::Internal,
            "national" => Destination::National,
            "unknown" => Destination::Unknown,
            code => match calling_codes::get(code) {
                Some(c) => Destination::Country(c.code.as_str()),
                None => return key,
            },
        };
        self.label(&d, lang)
    }

    /// The display name of a destination: the country's or the user prefix's name, or the key's
    /// words in the language.
    pub fn label<'a>(&'a self, d: &Destination, lang: Lang) -> &'a str {
        match (*d, lang) {
            (Destination::Country(code), _) => calling_codes::name(code, lang).unwrap_or(code),
            (Destination::User(i), _) => self.user.list().get(i).map_or("?", |(_, name)| name),
            (Destination::None, Lang::Es) => "(ninguno)",
            (Destination::Internal, Lang::Es) => "interno",
            (Destination::National, Lang::Es) => "nacional",
            (Destination::Unknown, Lang::Es) => "desconocido",
            (d, Lang::En) => self.key(&d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> NumberPlan {
        NumberPlan::default()
    }

    fn home(iso: &str) -> NumberPlan {
        let mut p = plan();
        p.set_home(Some(iso)).unwrap();
        p
    }

    fn key(p: &NumberPlan, number: &str, international: bool) -> String {
        p.key(&p.destination(number, international)).to_string()
    }

    #[test]
    fn international_forms() {
        let p = plan();
        assert_eq!(key(&p, "+8613800138000", false), "86");
        assert_eq!(key(&p, "008613800138000", false), "86");
        assert_eq!(key(&p, "01144207946000", false), "44");
        assert_eq!(key(&p, "8613800138000", true), "86");
        assert_eq!(key(&p, "8613800138000", false), "national");
        assert_eq!(key(&p, "8804694738104", true), "880");
        assert_eq!(key(&p, "+12485551234", false), "1");
        assert_eq!(key(&p, "+74951234567", false), "7");
        assert_eq!(key(&p, "+99912345678", false), "unknown");
        assert_eq!(key(&p, "99912345678", true), "unknown");
        assert_eq!(key(&p, "+80012345678", false), "800");
    }

    #[test]
    fn sip_uris_and_separators() {
        let p = plan();
        assert_eq!(key(&p, "sip:+4420794600@host;user=phone", false), "44");
        assert_eq!(key(&p, "SIPS:0044 20 7946 0000@h", false), "44");
        assert_eq!(key(&p, "tel:+1-248-555-1234", false), "1");
        assert_eq!(key(&p, "tel:+1 (248) 555.1234;ext=1", false), "1");
        assert_eq!(key(&p, " +86 138 0013 8000 ", false), "86");
        assert_eq!(key(&p, "sip:1000@pbx", false), "internal");
        assert_eq!(key(&p, "sip:@pbx", false), "internal");
        let long = format!("+86 {}", "1 ".repeat(60));
        assert_eq!(key(&p, &long, false), "86");
    }

    #[test]
    fn internal_and_none() {
        let p = plan();
        for n in [
            "9999",
            "2000",
            "*97",
            "s",
            "+1234",
            "123456",
            "+",
            "12a4567890",
        ] {
            assert_eq!(key(&p, n, false), "internal", "{n}");
            assert_eq!(key(&p, n, true), "internal", "{n}");
        }
        assert_eq!(key(&p, "1234567", false), "national");
        for n in [
            "", "  ", "NULL", "null", "\\N", "(null)", "None", "(NULL)", " NULL ",
        ] {
            assert_eq!(key(&p, n, false), "(none)", "{n:?}");
        }
        let mut p = plan();
        p.short_max_digits = 4;
        assert_eq!(key(&p, "12345", true), "1");
        assert_eq!(key(&p, "1234", true), "internal");
    }

    #[test]
    fn home_country() {
        assert_eq!(key(&plan(), "2485551234", false), "national");
        let us = home("US");
        assert_eq!(key(&us, "2485551234", false), "1");
        assert_eq!(key(&us, "12485551234", false), "1");
        assert_eq!(key(&us, "22485551234", false), "national");
        assert_eq!(key(&us, "5551234", false), "national");
        assert_eq!(key(&us, "01144207946000", false), "44");
        assert_eq!(key(&home("ca"), "6135550123", false), "1");
        assert_eq!(key(&home("GB"), "02079460000", false), "44");
        assert_eq!(key(&home("GB"), "2079460000", false), "national");
        assert_eq!(key(&home("FR"), "0612345678", false), "33");
        assert_eq!(key(&home("FR"), "+34912345678", false), "34");
        assert_eq!(key(&home("FR"), "0033612345678", false), "33");
        // Spain has no trunk prefix: every national number is Spanish.
        assert_eq!(key(&home("ES"), "912345678", false), "34");
        assert_eq!(key(&home("HU"), "0612345678", false), "36");
        assert_eq!(key(&home("RU"), "84951234567", false), "7");
        // A VOS3000 number stays international.
        assert_eq!(key(&home("GB"), "8613800138000", true), "86");
        assert_eq!(key(&home("GB"), "9999", false), "internal");
        let mut p = plan();
        assert!(p.set_home(Some("XX")).is_err());
        assert!(p.set_home(None).is_ok() && p.home.is_none());
    }

    #[test]
    fn user_prefixes_win() {
        let mut p = plan();
        p.set_user_prefixes(vec![
            ("44".into(), "UK".into()),
            ("4420".into(), "London".into()),
            ("*9".into(), "Service".into()),
            ("0800".into(), "Freephone".into()),
        ]);
        let d = p.destination("+442079460000", false);
        assert_eq!(d, Destination::User(1));
        assert_eq!(p.key(&d), "4420");
        assert_eq!(p.label(&d, Lang::En), "London");
        assert_eq!(key(&p, "00441619460000", false), "44");
        assert_eq!(key(&p, "442079460000", true), "4420");
        assert_eq!(key(&p, "*97", false), "*9");
        assert_eq!(key(&p, "08001234567", false), "0800");
        assert_eq!(key(&p, "+8613800138000", false), "86");
        assert_eq!(key(&p, "NULL", false), "(none)");
        // A home country's number is matched in its international form.
        p.set_home(Some("GB")).unwrap();
        assert_eq!(key(&p, "02079460000", false), "4420");
        assert_eq!(key(&p, "01619460000", false), "44");
        assert_eq!(key(&p, "08001234567", false), "44");
    }

    #[test]
    fn keys_and_labels() {
        let p = plan();
        assert_eq!(p.key(&Destination::None), "(none)");
        assert_eq!(p.key(&Destination::Unknown), "unknown");
        assert_eq!(p.label(&Destination::Country("34"), Lang::Es), "España");
        assert_eq!(p.label(&Destination::Country("86"), Lang::En), "China");
        assert_eq!(p.label(&Destination::National, Lang::Es), "nacional");
        assert_eq!(p.label(&Destination::Internal, Lang::En), "internal");
    }

    /// Cost per call of `destination`: `cargo test --release --lib numbers -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn destination_timing() {
        let numbers = [
            ("VOS international", "8613800138000", true),
            ("+ international", "+442079460000", false),
            ("00 international", "0034912345678", false),
            ("national", "2485551234", false),
            ("extension", "1001", false),
            ("sip uri", "sip:+4420794600@host;user=phone", false),
            ("separators", "+1 (248) 555-1234", false),
        ];
        // The best of 20 short runs: the machine may be busy with other builds.
        let run = |p: &NumberPlan, set: &[(&str, &str, bool)]| {
            let rounds = 50_000;
            (0..20)
                .map(|_| {
                    let start = std::time::Instant::now();
                    let mut sum = 0usize;
                    for _ in 0..rounds {
                        for &(_, n, international) in set {
                            let d = p.destination(std::hint::black_box(n), international);
                            sum +=
                                matches!(std::hint::black_box(d), Destination::Country(_)) as usize;
                        }
                    }
                    std::hint::black_box(sum);
                    start.elapsed().as_nanos() as f64 / (rounds * set.len()) as f64
                })
                .fold(f64::INFINITY, f64::min)
        };
        let mut home = plan();
        home.set_home(Some("US")).unwrap();
        let mut user = home.clone();
        user.set_user_prefixes(
            (0..5000)
                .map(|i| (format!("{}", 100_000 + i * 179), format!("p{i}")))
                .collect(),
        );
        for (label, p) in [
            ("plain", plan()),
            ("home US", home),
            ("home US + 5000 user prefixes", user),
        ] {
            println!("{label}: {:.1} ns per call over the mix", run(&p, &numbers));
            for one in &numbers {
                println!(
                    "    {:<18} {:.1} ns",
                    one.0,
                    run(&p, std::slice::from_ref(one))
                );
            }
        }
    }
}

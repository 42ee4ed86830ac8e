//! One search over every code system: by number ("503", "cause 34", "q850 17", "-69"), by name
//! or words in any language ("busy", "ocupado", "balance"), tolerant of case, accents and small
//! typos, ranked with the exact number first.
//!
//! The index is built once (a few hundred entries) and every query scans small vocabularies, so a
//! search takes microseconds.

use super::entry::{Entry, RefSystem};
use super::reference::{card, Card, Field};
use super::text;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One search result.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Hit {
    /// The matching entry.
    pub entry: &'static Entry,
    /// Relevance; higher is better. Exact code matches score 1000 or more.
    pub score: u32,
}

/// Score of an entry whose code is the number asked for.
const EXACT_NUMBER: u32 = 1000;
/// Extra score when the query named the entry's system ("cause 34", "sip 503").
const SYSTEM_HINT: u32 = 500;
/// Score of an entry related to the number asked for (its SIP or Q.850 equivalent).
const RELATED_NUMBER: u32 = 300;
/// Score of an entry whose whole code equals the query ("NORMAL_CLEARING", "NO ANSWER").
const EXACT_CODE: u32 = 10_000;
/// Score of an entry whose whole name or title equals the query ("User busy", "Busy Here").
const EXACT_NAME: u32 = 9_000;

/// Score of each SIP code matched by a class pattern ("5xx").
const CLASS_PATTERN: u32 = 200;

/// Word-match strengths (per query word, the best over the entry's tokens).
const HEAD_EXACT: u32 = 100;
const HEAD_PREFIX: u32 = 70;
const HEAD_FUZZY: u32 = 50;
const OUTCOME_MATCH: u32 = 40;
const BODY_EXACT: u32 = 20;
const BODY_PREFIX: u32 = 10;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Weight {
    Head,
    /// The label of an outcome the code leads to (from `crate::outcome`).
    Outcome,
    Body,
}

struct Index {
    entries: &'static [Entry],
    /// Normalised whole codes (and aliases) → entries.
    codes: HashMap<String, Vec<u16>>,
    /// The same codes without separators ("noanswer" for "NO ANSWER") → entries.
    compact_codes: HashMap<String, Vec<u16>>,
    /// Normalised whole names and titles in every language → entries.
    names: HashMap<String, Vec<u16>>,
    /// Numeric codes → entries.
    numbers: HashMap<i64, Vec<u16>>,
    /// Default values of SIP timers in milliseconds → entries ("32 s" finds Timer B).
    durations: HashMap<u64, Vec<u16>>,
    /// Unique tokens, sorted (so a prefix is a contiguous range), with the entries they occur
    /// in and their weight.
    vocab: Vec<(String, Vec<(u16, Weight)>)>,
    /// Token → its position in `vocab`.
    exact: HashMap<String, usize>,
    /// Positions in `vocab` of tokens some entry has as a head token: the fuzzy candidates.
    heads: Vec<usize>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(build)
}

fn build() -> Index {
    let entries = super::entries();
    let mut codes: HashMap<String, Vec<u16>> = HashMap::new();
    let mut compact_codes: HashMap<String, Vec<u16>> = HashMap::new();
    let mut names: HashMap<String, Vec<u16>> = HashMap::new();
    let mut numbers: HashMap<i64, Vec<u16>> = HashMap::new();
    let mut durations: HashMap<u64, Vec<u16>> = HashMap::new();
    let mut tokens: HashMap<String, Vec<(u16, Weight)>> = HashMap::new();
    let mut add = |tok: String, i: u16, w: Weight| {
        let list = tokens.entry(tok).or_default();
        // Entries are indexed one after the other, so an entry's posting is always the last.
        match list.last_mut().filter(|p| p.0 == i) {
            // Keep the strongest weight an entry has for a token.
            Some(p) => {
                if rank(w) > rank(p.1) {
                    p.1 = w
                }
            }
            None => list.push((i, w)),
        }
    };
    for (i, e) in entries.iter().enumerate() {
        let i = i as u16;
        for c in std::iter::once(e.code.as_str()).chain(e.aliases.iter().copied()) {
            let n = normalize(c);
            compact_codes.entry(compact(&n)).or_default().push(i);
            codes.entry(n).or_default().push(i);
        }
        if let Ok(n) = e.code.parse::<i64>() {
            numbers.entry(n).or_default().push(i);
        }
        if let Some(ms) = super::sip_timer::default_ms(e) {
            durations.entry(u64::from(ms)).or_default().push(i);
        }
        let mut head: Vec<String> = vec![e.code.clone(), e.name.to_string()];
        head.extend(e.aliases.iter().map(|a| a.to_string()));
        let outcomes = super::reference::outcomes(e);
        for lang in text::language_ids() {
            if let Some(t) = super::reference::field_text_exact(e, Field::Title, lang) {
                head.push(t);
            }
            for o in &outcomes {
                if let Some(t) = text::get_exact(lang, &format!("outcome.{}", o.as_str())) {
                    for tok in words(t) {
                        add(tok, i, Weight::Outcome);
                    }
                }
            }
            for f in [Field::Cause, Field::Action] {
                if let Some(t) = super::reference::field_text_exact(e, f, lang) {
                    for tok in words(&t) {
                        if tok.chars().count() >= 3
                            && !STOP_WORDS.contains(&tok.as_str())
                            && tok.parse::<i64>().is_err()
                        {
                            add(tok, i, Weight::Body);
                        }
                    }
                }
            }
        }
        for h in head.iter().skip(1) {
            let list = names.entry(words(h).join(" ")).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
        for h in &head {
            for tok in words(&split_camel(h)).into_iter().chain(words(h)) {
                add(tok, i, Weight::Head);
            }
            // "Time-out" must also be found as "timeout".
            let joined = normalize(h).replace('-', "");
            for tok in words(&joined) {
                add(tok, i, Weight::Head);
            }
        }
    }
    let mut vocab: Vec<(String, Vec<(u16, Weight)>)> = tokens.into_iter().collect();
    vocab.sort_by(|a, b| a.0.cmp(&b.0));
    let exact = vocab
        .iter()
        .enumerate()
        .map(|(i, v)| (v.0.clone(), i))
        .collect();
    let heads = (0..vocab.len())
        .filter(|&i| vocab[i].1.iter().any(|p| p.1 == Weight::Head))
        .collect();
    Index {
        entries,
        codes,
        compact_codes,
        names,
        numbers,
        durations,
        vocab,
        exact,
        heads,
    }
}

fn rank(w: Weight) -> u8 {
    match w {
        Weight::Head => 3,
        Weight::Outcome => 2,
        Weight::Body => 1,
    }
}

/// Words that carry no meaning in a query or a text.
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "with", "not", "or", "of", "to", "a", "an", "in", "on", "is", "it", "its",
    "de", "la", "el", "los", "las", "del", "en", "un", "una", "por", "con", "que", "y", "o", "al",
    "se", "su", "sus", "no", "lo", "es", "para", "code", "codigo", "error",
];

/// Lower-cases and removes accents (á→a, ñ→n) so "Dirección" and "direccion" match.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        out.push(match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c,
        });
    }
    out
}

/// A code without separators, so "no answer", "NO_ANSWER" and "noanswer" compare equal.
fn compact(normalized: &str) -> String {
    normalized
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-')
        .collect()
}

/// "NoAvailableRouter" → "No Available Router"; other text unchanged.
fn split_camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = c.is_lowercase();
        out.push(c);
    }
    out
}

/// Normalised words of a text: runs of letters and digits; a leading '-' stays on a number.
fn words(s: &str) -> Vec<String> {
    let n = normalize(s).replace('.', "");
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = n.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            cur.push(c);
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            // "-69": keep the sign when a digit follows a separator.
            if c == '-' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                cur.push('-');
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The system a query word names, if any.
fn system_hint(w: &str) -> Option<RefSystem> {
    Some(match w {
        "sip" => RefSystem::Sip,
        "q850" | "q931" | "isdn" | "isup" | "cause" | "causa" => RefSystem::Q850,
        "vos" | "vos3000" | "endreason" => RefSystem::Vos3000,
        "direction" | "enddirection" | "direccion" => RefSystem::Vos3000EndDirection,
        "fs" | "freeswitch" => RefSystem::FreeSwitch,
        "cisco" | "cucm" | "callmanager" => RefSystem::Cisco,
        "asterisk" | "ast" | "disposition" | "disposicion" => RefSystem::Asterisk,
        _ => return None,
    })
}

/// Milliseconds per unit of a duration word ("s", "ms", "min", in English or Spanish).
fn unit_ms(w: &str) -> Option<u64> {
    Some(match w {
        "ms" | "msec" | "millisecond" | "milliseconds" | "milisegundo" | "milisegundos" => 1,
        "s" | "sec" | "secs" | "second" | "seconds" | "seg" | "segundo" | "segundos" => 1_000,
        "min" | "mins" | "minute" | "minutes" | "minuto" | "minutos" => 60_000,
        _ => return None,
    })
}

/// A duration written as one word ("32s", "500ms", "3min"), in milliseconds.
fn duration_word(w: &str) -> Option<u64> {
    let split = w.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = w.split_at(split);
    let n: u64 = n.parse().ok()?;
    n.checked_mul(unit_ms(unit)?)
}

/// The leading digit of a SIP class pattern such as "5xx".
fn sip_class_pattern(w: &str) -> Option<char> {
    let b = w.as_bytes();
    (b.len() == 3 && (b'1'..=b'6').contains(&b[0]) && &b[1..] == b"xx").then(|| b[0] as char)
}

fn is_cjk(w: &str) -> bool {
    w.chars().any(|c| c >= '\u{2E80}')
}

/// Longest token the fuzzy match considers; longer ones only match exactly or by prefix.
const MAX_FUZZY_LEN: usize = 32;

/// Edit distance with adjacent transpositions, or `None` when it exceeds `max`.
fn distance_within(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max || a.len() > MAX_FUZZY_LEN || b.len() > MAX_FUZZY_LEN {
        return None;
    }
    let n = b.len();
    let mut prev2 = [0usize; MAX_FUZZY_LEN + 1];
    let mut prev = [0usize; MAX_FUZZY_LEN + 1];
    let mut cur = [0usize; MAX_FUZZY_LEN + 1];
    for (j, p) in prev.iter_mut().enumerate().take(n + 1) {
        *p = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        prev2 = prev;
        prev = cur;
    }
    Some(prev[n]).filter(|&d| d <= max)
}

/// The score of an exact token match at a weight.
fn exact_score(w: Weight) -> u32 {
    match w {
        Weight::Head => HEAD_EXACT,
        Weight::Outcome => OUTCOME_MATCH,
        Weight::Body => BODY_EXACT,
    }
}

/// The score of a prefix match at a weight, for a query word of `len` bytes.
fn prefix_score(w: Weight, len: usize) -> u32 {
    match w {
        Weight::Head if len >= 2 => HEAD_PREFIX,
        Weight::Outcome if len >= 4 => OUTCOME_MATCH / 2,
        Weight::Body if len >= 4 => BODY_PREFIX,
        _ => 0,
    }
}

/// Scores one query word against the index into `best` (the best score per entry): exact
/// tokens, then tokens it is a prefix of, then — only when no head token matched that way —
/// head tokens within a small edit distance (typos).
fn score_term(ix: &Index, t: &str, best: &mut [u32]) {
    let mut raise = |postings: &[(u16, Weight)], f: &dyn Fn(Weight) -> u32| {
        for &(i, w) in postings {
            let s = f(w);
            if s > best[i as usize] {
                best[i as usize] = s;
            }
        }
    };
    let mut head_hit = false;
    if let Some(&v) = ix.exact.get(t) {
        let postings = &ix.vocab[v].1;
        head_hit |= postings.iter().any(|p| p.1 == Weight::Head);
        raise(postings, &exact_score);
    }
    if is_cjk(t) {
        // Chinese labels have no spaces: match inside them.
        for &v in &ix.heads {
            let (tok, postings) = &ix.vocab[v];
            if tok != t && tok.contains(t) {
                raise(postings, &|w| {
                    if w == Weight::Head {
                        HEAD_PREFIX
                    } else {
                        0
                    }
                });
            }
        }
        return;
    }
    let start = ix.vocab.partition_point(|v| v.0.as_str() < t);
    for (tok, postings) in ix.vocab[start..].iter().take_while(|v| v.0.starts_with(t)) {
        if tok != t {
            head_hit |= t.len() >= 2 && postings.iter().any(|p| p.1 == Weight::Head);
            raise(postings, &|w| prefix_score(w, t.len()));
        }
    }
    let max = match t.len() {
        0..=3 => return,
        4..=7 => 1,
        _ => 2,
    };
    if head_hit {
        return;
    }
    for &v in &ix.heads {
        let (tok, postings) = &ix.vocab[v];
        if tok.len().abs_diff(t.len()) <= max
            && distance_within(t.as_bytes(), tok.as_bytes(), max).is_some()
        {
            raise(postings, &|w| {
                if w == Weight::Head {
                    HEAD_FUZZY
                } else {
                    0
                }
            });
        }
    }
}

/// Whether a normalised word occurs inside the name or title of an entry that is not named just
/// that: an ordinary word of the vocabulary ("busy" in "Busy Here") rather than only a code.
fn is_name_word(ix: &Index, w: &str) -> bool {
    let Some(&v) = ix.exact.get(w) else {
        return false;
    };
    let whole = [&ix.codes, &ix.compact_codes, &ix.names]
        .into_iter()
        .flat_map(|m| m.get(w))
        .flatten();
    let whole: Vec<u16> = whole.copied().collect();
    ix.vocab[v]
        .1
        .iter()
        .any(|&(i, weight)| weight == Weight::Head && !whole.contains(&i))
}

/// Builds the search index now rather than on the first search (it takes a few milliseconds;
/// the page can call this while the user is not typing yet).
pub fn warm_up() {
    index();
}

/// Searches every code system; returns at most `limit` hits, best first.
pub fn search(query: &str, limit: usize) -> Vec<Hit> {
    let ix = index();
    let n = ix.entries.len();
    let mut score = vec![0u32; n];
    let q = normalize(query);
    if q.is_empty() || limit == 0 {
        return Vec::new();
    }
    // A query that is a whole code ("NORMAL_CLEARING", "FAILED", "-69") or a whole name ("User
    // busy", "Busy Here") wins outright. A lower-case word that also occurs inside longer names
    // ("busy", "failed") is ranked by the word match instead, so "busy" lists 486 first; typed as
    // records print codes ("BUSY", "FAILED"), it is the code.
    let word_search = q.chars().all(char::is_alphabetic)
        && !is_cjk(&q)
        && query.chars().any(char::is_lowercase)
        && is_name_word(ix, &q);
    if !word_search {
        for (map, key, bonus) in [
            (&ix.compact_codes, compact(&q), 0),
            (&ix.codes, q.clone(), 100),
        ] {
            if let Some(list) = map.get(&key) {
                for &i in list {
                    score[i as usize] = score[i as usize].max(EXACT_CODE + bonus);
                }
            }
        }
        for &i in ix.names.get(&words(&q).join(" ")).into_iter().flatten() {
            score[i as usize] = score[i as usize].max(EXACT_NAME);
        }
    }
    let mut hints: Vec<RefSystem> = Vec::new();
    let mut numbers: Vec<i64> = Vec::new();
    let mut terms: Vec<String> = Vec::new();
    let mut durations: Vec<u64> = Vec::new();
    let ws = words(&q);
    let mut next = 0;
    while next < ws.len() {
        let w = ws[next].clone();
        next += 1;
        // "32 s", "32s", "500 ms": a duration, which SIP timers have, not a code number.
        let unit = ws.get(next).and_then(|u| unit_ms(u));
        if let (Ok(n), Some(unit)) = (w.parse::<u64>(), unit) {
            durations.push(n.saturating_mul(unit));
            next += 1;
            continue;
        }
        if let Some(ms) = duration_word(&w) {
            durations.push(ms);
            continue;
        }
        if let Some(h) = system_hint(&w) {
            hints.push(h);
        } else if let Some(class) = sip_class_pattern(&w) {
            // "5xx": every registered code of the class.
            for (i, e) in ix.entries.iter().enumerate() {
                if e.system == RefSystem::Sip && e.code.starts_with(class) {
                    score[i] += CLASS_PATTERN;
                }
            }
        } else if let Ok(num) = w.parse::<i64>() {
            numbers.push(num);
        } else {
            terms.push(w);
        }
    }
    if terms.len() > 1 {
        terms.retain(|t| !STOP_WORDS.contains(&t.as_str()));
    }
    // CUCM writes its own values where Q.850 causes go: "cause 125" means Cisco's 125 too.
    let hinted = |e: &Entry| {
        hints.contains(&e.system)
            || (e.system == RefSystem::Cisco && hints.contains(&RefSystem::Q850))
    };
    for ms in &durations {
        for &i in ix.durations.get(ms).into_iter().flatten() {
            score[i as usize] += EXACT_NUMBER;
        }
    }
    for &num in &numbers {
        if let Some(list) = ix.numbers.get(&num) {
            for &i in list {
                let e = &ix.entries[i as usize];
                score[i as usize] += EXACT_NUMBER + if hinted(e) { SYSTEM_HINT } else { 0 };
            }
        }
        let Ok(num) = u16::try_from(num) else {
            continue;
        };
        for (i, e) in ix.entries.iter().enumerate() {
            if e.code.parse::<i64>().is_ok_and(|c| c == i64::from(num)) {
                continue;
            }
            // "cause 34" finds NORMAL_CIRCUIT_CONGESTION; "503" finds the causes mapped to it.
            // A CUCM value's packed Q.850 cause is secondary: "q850 17" is not CCM_SIP_486.
            let by_q850 = e.q850 == Some(num)
                && e.system != RefSystem::Cisco
                && (e.system != RefSystem::Sip || hints.is_empty());
            let by_sip = e.sip == Some(num) && !hints.contains(&RefSystem::Q850);
            if by_q850 || by_sip {
                score[i] += RELATED_NUMBER
                    + if hinted(e) || (by_q850 && hints.contains(&RefSystem::Q850)) {
                        SYSTEM_HINT / 2
                    } else {
                        0
                    };
            }
        }
    }
    if !terms.is_empty() {
        let mut matched_all = vec![true; n];
        let mut best = vec![0u32; n];
        for t in &terms {
            best.iter_mut().for_each(|b| *b = 0);
            score_term(ix, t, &mut best);
            for i in 0..n {
                if best[i] == 0 {
                    matched_all[i] = false;
                }
                score[i] += best[i];
            }
        }
        // Prefer entries that match every word; fall back to any word when none does.
        if matched_all.iter().zip(&score).any(|(m, s)| *m && *s > 0) {
            for i in 0..n {
                if !matched_all[i] && score[i] < EXACT_NUMBER {
                    score[i] = 0;
                }
            }
        }
    }
    if !hints.is_empty() {
        let only_hints = numbers.is_empty() && terms.is_empty();
        for (i, e) in ix.entries.iter().enumerate() {
            if hinted(e) && (only_hints || score[i] > 0) {
                score[i] += 1;
            }
        }
    }
    // A value a vendor assigns ranks above the same number Q.850 leaves unassigned.
    for (i, e) in ix.entries.iter().enumerate() {
        if !e.assigned && score[i] > 0 {
            score[i] -= 1;
        }
    }
    let mut hits: Vec<Hit> = score
        .iter()
        .enumerate()
        .filter(|(_, s)| **s > 0)
        .map(|(i, &s)| Hit {
            entry: &ix.entries[i],
            score: s,
        })
        .collect();
    // Stable: equal scores keep the reference order (SIP, Q.850, VOS3000, …).
    hits.sort_by_key(|h| std::cmp::Reverse(h.score));
    hits.truncate(limit);
    hits
}

/// Searches and returns the hits as cards in `lang`, best first.
pub fn search_cards(query: &str, lang: &str, limit: usize) -> Vec<Card> {
    search(query, limit)
        .into_iter()
        .map(|h| card(h.entry, lang))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_negative_numbers_and_fold_accents() {
        assert_eq!(
            words("Dirección -69, q.850 17"),
            ["direccion", "-69", "q850", "17"]
        );
        assert_eq!(split_camel("NoAvailableRouter"), "No Available Router");
    }

    #[test]
    fn distance_counts_transpositions_as_one() {
        assert_eq!(distance_within(b"busy", b"bsuy", 1), Some(1));
        assert_eq!(distance_within(b"timeout", b"timeuot", 1), Some(1));
        assert_eq!(distance_within(b"busy", b"balance", 2), None);
    }
}

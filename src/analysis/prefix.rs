//! Destination prefixes: the E.164 country code of a called number, by longest match.

/// Two-digit ITU-T E.164 country codes (every other code is one digit, `1` or `7`, or three).
const TWO_DIGIT: [u16; 44] = [
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56,
    57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
];

/// [`TWO_DIGIT`] as a table indexed by the two digits: one load per called number instead of
/// a scan of 44 codes.
const IS_TWO_DIGIT: [bool; 100] = {
    let mut t = [false; 100];
    let mut i = 0;
    while i < TWO_DIGIT.len() {
        t[TWO_DIGIT[i] as usize] = true;
        i += 1;
    }
    t
};

/// Strips the international prefix (`+`, `00`) and anything not a digit at the start.
pub fn normalize_number(number: &str) -> &str {
    let n = number.trim_ascii();
    let n = n.strip_prefix('+').unwrap_or(n);
    n.strip_prefix("00").unwrap_or(n)
}

/// The country code a called number starts with, or `""` when the number has too few digits.
///
/// E.164 country codes form a prefix-free set, so the longest match is the first of: a
/// one-digit code (`1`, `7`), an assigned two-digit code, or the first three digits.
pub fn country_code(number: &str) -> &str {
    let n = normalize_number(number);
    let digits = n.bytes().take_while(u8::is_ascii_digit).count();
    if digits < 4 {
        return "";
    }
    let b = n.as_bytes();
    if b[0] == b'0' {
        // A national number (leading trunk zero): no country code to speak of.
        return "";
    }
    if b[0] == b'1' || b[0] == b'7' {
        return &n[..1];
    }
    let two = u16::from(b[0] - b'0') * 10 + u16::from(b[1] - b'0');
    if IS_TWO_DIGIT[usize::from(two)] {
        &n[..2]
    } else {
        &n[..3]
    }
}

/// The destination prefix of a number against a user prefix list (longest match), falling
/// back to the country code.
pub fn destination_prefix<'a>(number: &'a str, user_prefixes: &[String]) -> &'a str {
    let n = normalize_number(number);
    let mut best: Option<usize> = None;
    for p in user_prefixes {
        if n.starts_with(p.as_str()) && best.is_none_or(|b| p.len() > b) {
            best = Some(p.len());
        }
    }
    match best {
        Some(len) => &n[..len],
        None => country_code(number),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_country_code() {
        assert_eq!(country_code("8804694738104"), "880");
        assert_eq!(country_code("443749521779"), "44");
        assert_eq!(country_code("+8613806337650"), "86");
        assert_eq!(country_code("0012125550100"), "1");
        assert_eq!(country_code("2344731115583"), "234");
        assert_eq!(country_code("79161234567"), "7");
        assert_eq!(country_code("123"), "");
        assert_eq!(country_code("0207946000"), "");
        for two in 10..100u16 {
            assert_eq!(
                IS_TWO_DIGIT[usize::from(two)],
                TWO_DIGIT.contains(&two),
                "{two}"
            );
        }
        let user = vec!["4420".to_string(), "44".to_string()];
        assert_eq!(destination_prefix("442079460000", &user), "4420");
        assert_eq!(destination_prefix("8613806337650", &user), "86");
    }
}

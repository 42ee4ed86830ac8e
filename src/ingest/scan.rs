//! The fast line scanner: one pass over a line that finds its end and its delimiters, eight
//! bytes at a time (SWAR), and gives up on lines that need a real CSV parser.
//!
//! CDR exports are mostly plain lines without quotes. For those this scanner replaces
//! csv-core's byte-at-a-time state machine; lines with a quote (or a lone CR, which csv-core
//! treats as a row end) go to csv-core, so both paths give the same rows.

const LO: u64 = 0x0101_0101_0101_0101;
const HI7: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// High bit set in each byte of `w` that equals the byte repeated in `pat`, exactly.
#[inline(always)]
fn eq_mask(w: u64, pat: u64) -> u64 {
    let x = w ^ pat;
    !(((x & HI7).wrapping_add(HI7)) | x | HI7)
}

/// What the scanner found.
#[derive(Debug, PartialEq, Eq)]
pub enum LineScan {
    /// A plain line: the index of its `\n`; `ends` holds each field's end offset.
    Plain(usize),
    /// The line has a quote or a stray CR before its end: use the CSV parser.
    NeedsParser,
    /// No `\n` in the input: the line may continue in the next chunk.
    Incomplete,
}

/// Scans `input` up to the first `\n`, pushing the end offset of every field but the last
/// into `ends` (the caller adds the last one, after stripping a final CR).
pub fn scan_line(input: &[u8], delimiter: u8, ends: &mut Vec<usize>) -> LineScan {
    #[cfg(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ))]
    {
        scan_line_simd(input, delimiter, ends)
    }
    #[cfg(not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )))]
    {
        scan_line_swar(input, delimiter, ends)
    }
}

/// Bit masks (one bit per byte) of delimiters and of stop bytes (`\n`, `"`, `\r`) in 16 bytes.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks16(block: &[u8; 16], delimiter: u8) -> (u32, u32) {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86_64 baseline, and the load reads exactly the 16 bytes of
    // `block` (unaligned loads are allowed by _mm_loadu_si128).
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast());
        let d = _mm_cmpeq_epi8(v, _mm_set1_epi8(delimiter as i8));
        let nl = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8));
        let q = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let cr = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\r' as i8));
        let stop = _mm_or_si128(_mm_or_si128(nl, q), cr);
        (
            _mm_movemask_epi8(d) as u32 & 0xFFFF,
            _mm_movemask_epi8(stop) as u32 & 0xFFFF,
        )
    }
}

/// Bit masks (one bit per byte) of delimiters and of stop bytes (`\n`, `"`, `\r`) in 16 bytes.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn masks16(block: &[u8; 16], delimiter: u8) -> (u32, u32) {
    use std::arch::wasm32::*;
    // SAFETY: the load reads exactly the 16 bytes of `block`; v128_load allows any alignment.
    let v = unsafe { v128_load(block.as_ptr().cast()) };
    let d = u8x16_eq(v, u8x16_splat(delimiter));
    let stop = v128_or(
        v128_or(
            u8x16_eq(v, u8x16_splat(b'\n')),
            u8x16_eq(v, u8x16_splat(b'"')),
        ),
        u8x16_eq(v, u8x16_splat(b'\r')),
    );
    (u32::from(u8x16_bitmask(d)), u32::from(u8x16_bitmask(stop)))
}

#[cfg(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
fn scan_line_simd(input: &[u8], delimiter: u8, ends: &mut Vec<usize>) -> LineScan {
    let mut i = 0;
    while let Some(block) = input.get(i..i + 16) {
        let block: &[u8; 16] = block.try_into().unwrap_or(&[0; 16]);
        let (mut md, stop) = masks16(block, delimiter);
        if stop != 0 {
            let first = stop.trailing_zeros();
            md &= (1u32 << first) - 1;
        }
        while md != 0 {
            ends.push(i + md.trailing_zeros() as usize);
            md &= md - 1;
        }
        if stop != 0 {
            return classify(input, i + stop.trailing_zeros() as usize);
        }
        i += 16;
    }
    scan_tail(input, i, delimiter, ends)
}

fn scan_tail(input: &[u8], mut i: usize, delimiter: u8, ends: &mut Vec<usize>) -> LineScan {
    while i < input.len() {
        match input[i] {
            b'\n' | b'"' | b'\r' => return classify(input, i),
            b if b == delimiter => ends.push(i),
            _ => {}
        }
        i += 1;
    }
    LineScan::Incomplete
}

/// The portable scanner, eight bytes at a time in a `u64`.
pub fn scan_line_swar(input: &[u8], delimiter: u8, ends: &mut Vec<usize>) -> LineScan {
    let d = LO.wrapping_mul(u64::from(delimiter));
    let nl = LO.wrapping_mul(u64::from(b'\n'));
    let quote = LO.wrapping_mul(u64::from(b'"'));
    let cr = LO.wrapping_mul(u64::from(b'\r'));
    let mut i = 0;
    while i + 8 <= input.len() {
        let w = u64::from_le_bytes(input[i..i + 8].try_into().unwrap_or([0; 8]));
        let md = eq_mask(w, d);
        let stop = eq_mask(w, nl) | eq_mask(w, quote) | eq_mask(w, cr);
        if stop == 0 {
            let mut m = md;
            while m != 0 {
                ends.push(i + (m.trailing_zeros() / 8) as usize);
                m &= m - 1;
            }
            i += 8;
            continue;
        }
        let first = (stop.trailing_zeros() / 8) as usize;
        // Delimiters before the stop byte belong to this line.
        let below = if first == 0 {
            0
        } else {
            (1u64 << (first * 8)) - 1
        };
        let mut m = md & below;
        while m != 0 {
            ends.push(i + (m.trailing_zeros() / 8) as usize);
            m &= m - 1;
        }
        return classify(input, i + first);
    }
    scan_tail(input, i, delimiter, ends)
}

/// Decides at the first special byte (at `at`) whether the line is plain.
fn classify(input: &[u8], at: usize) -> LineScan {
    match input[at] {
        b'\n' => LineScan::Plain(at),
        // A CR is fine only as the CR of a CRLF.
        b'\r' if input.get(at + 1) == Some(&b'\n') => LineScan::Plain(at + 1),
        b'\r' if at + 1 == input.len() => LineScan::Incomplete,
        _ => LineScan::NeedsParser,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(s: &str) -> (LineScan, Vec<usize>) {
        let mut e = Vec::new();
        let r = scan_line(s.as_bytes(), b',', &mut e);
        let mut e2 = Vec::new();
        let r2 = scan_line_swar(s.as_bytes(), b',', &mut e2);
        assert_eq!(
            (&r, &e),
            (&r2, &e2),
            "SIMD and SWAR scanners agree on {s:?}"
        );
        (r, e)
    }

    #[test]
    fn finds_fields_and_line_ends() {
        assert_eq!(scan("a,bb,,c\nx,y"), (LineScan::Plain(7), vec![1, 4, 5]));
        assert_eq!(
            scan("aaaaaaaaa,bbbbbbbbbbbbbbbb,c\r\nz"),
            (LineScan::Plain(29), vec![9, 26])
        );
        assert_eq!(scan("a,\"b\",c\n").0, LineScan::NeedsParser);
        assert_eq!(scan("a,b\rc,d\n").0, LineScan::NeedsParser);
        assert_eq!(scan("a,b,c").0, LineScan::Incomplete);
        assert_eq!(scan("a,b,c\r").0, LineScan::Incomplete);
        let long = "1234567,".repeat(20) + "x\n";
        let (r, e) = scan(&long);
        assert_eq!(r, LineScan::Plain(long.len() - 1));
        assert_eq!(e, (0..20).map(|k| k * 8 + 7).collect::<Vec<_>>());
        // Bytes above 0x7F and the delimiter's neighbours never match by accident.
        let (r, e) = scan("é,\u{2c2c},-\x01\n");
        assert_eq!(r, LineScan::Plain(9));
        assert_eq!(e, vec![2, 6]);
    }
}

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
    /// A plain line: the index of its `\n`, and whether every byte before it is ASCII (so
    /// the line is valid UTF-8 without another pass); `ends` holds each field's end offset.
    Plain(usize, bool),
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

/// Bit masks (one bit per byte) of delimiters, of stop bytes (`\n`, `"`, `\r`) and of
/// non-ASCII bytes in 16 bytes.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks16(block: &[u8; 16], delimiter: u8) -> (u32, u32, u32) {
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
            _mm_movemask_epi8(v) as u32 & 0xFFFF,
        )
    }
}

/// Bit masks (one bit per byte) of delimiters, of stop bytes (`\n`, `"`, `\r`) and of
/// non-ASCII bytes in 16 bytes.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn masks16(block: &[u8; 16], delimiter: u8) -> (u32, u32, u32) {
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
    (
        u32::from(u8x16_bitmask(d)),
        u32::from(u8x16_bitmask(stop)),
        u32::from(u8x16_bitmask(v)),
    )
}

#[cfg(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
fn scan_line_simd(input: &[u8], delimiter: u8, ends: &mut Vec<usize>) -> LineScan {
    let mut i = 0;
    let mut high = 0u32;
    // 32 bytes per step (two 16-byte compares): half the loop branches of 16-byte steps.
    while let Some(block) = input.get(i..i + 32) {
        let (lo, hi) = block.split_at(16);
        let lo: &[u8; 16] = lo.try_into().unwrap_or(&[0; 16]);
        let hi: &[u8; 16] = hi.try_into().unwrap_or(&[0; 16]);
        let (d0, s0, h0) = masks16(lo, delimiter);
        let (d1, s1, h1) = masks16(hi, delimiter);
        let (mut md, stop, nonascii) = (d0 | d1 << 16, s0 | s1 << 16, h0 | h1 << 16);
        if stop != 0 {
            // Bits below the first stop byte (the shift is at most 31).
            let below = (1u32 << stop.trailing_zeros()) - 1;
            md &= below;
            high |= nonascii & below;
        } else {
            high |= nonascii;
        }
        push_bits(ends, i, u64::from(md), 0, 32);
        if stop != 0 {
            return classify(input, i + stop.trailing_zeros() as usize, high == 0);
        }
        i += 32;
    }
    scan_tail(input, i, delimiter, ends, high == 0)
}

/// Appends `base + (k >> shift)` for every set bit `k` of `mask` (at most `max` bits set),
/// lowest first.
///
/// Writes into reserved room with the length in a register: `Vec::push` per field would
/// store the length back to memory and check the capacity each time. The room reserved is
/// the fixed `max`, not the count of bits: baseline x86_64 has no POPCNT instruction.
#[inline(always)]
fn push_bits(ends: &mut Vec<usize>, base: usize, mut mask: u64, shift: u32, max: usize) {
    ends.reserve(max);
    let len = ends.len();
    let spare = ends.spare_capacity_mut();
    let spare_len = spare.len();
    let mut n = 0;
    while mask != 0 {
        if let Some(slot) = spare.get_mut(n) {
            slot.write(base + (mask.trailing_zeros() >> shift) as usize);
        }
        n += 1;
        mask &= mask - 1;
    }
    // The loop wrote spare slots 0, 1, … in order, skipping none below `spare_len`; with the
    // room reserved for `max` bits that is every bit, and the `min` keeps it sound regardless.
    let n = n.min(spare_len);
    // SAFETY: the elements `len..len + n` are the spare slots `0..n`, all written above, and
    // `len + n` is within the capacity.
    unsafe { ends.set_len(len + n) };
}

fn scan_tail(
    input: &[u8],
    mut i: usize,
    delimiter: u8,
    ends: &mut Vec<usize>,
    mut ascii: bool,
) -> LineScan {
    while i < input.len() {
        match input[i] {
            b'\n' | b'"' | b'\r' => return classify(input, i, ascii),
            b if b == delimiter => ends.push(i),
            _ => {}
        }
        ascii &= input[i] < 0x80;
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
    let mut high = 0u64;
    while i + 8 <= input.len() {
        let w = u64::from_le_bytes(input[i..i + 8].try_into().unwrap_or([0; 8]));
        let md = eq_mask(w, d);
        let stop = eq_mask(w, nl) | eq_mask(w, quote) | eq_mask(w, cr);
        if stop == 0 {
            high |= w & !HI7;
            push_bits(ends, i, md, 3, 8);
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
        push_bits(ends, i, md & below, 3, 8);
        high |= w & !HI7 & below;
        return classify(input, i + first, high == 0);
    }
    scan_tail(input, i, delimiter, ends, high == 0)
}

/// Decides at the first special byte (at `at`) whether the line is plain; `ascii` says
/// whether every byte before it is ASCII.
fn classify(input: &[u8], at: usize, ascii: bool) -> LineScan {
    match input[at] {
        b'\n' => LineScan::Plain(at, ascii),
        // A CR is fine only as the CR of a CRLF.
        b'\r' if input.get(at + 1) == Some(&b'\n') => LineScan::Plain(at + 1, ascii),
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
        assert_eq!(
            scan("a,bb,,c\nx,y"),
            (LineScan::Plain(7, true), vec![1, 4, 5])
        );
        assert_eq!(
            scan("aaaaaaaaa,bbbbbbbbbbbbbbbb,c\r\nz"),
            (LineScan::Plain(29, true), vec![9, 26])
        );
        assert_eq!(scan("a,\"b\",c\n").0, LineScan::NeedsParser);
        assert_eq!(scan("a,b\rc,d\n").0, LineScan::NeedsParser);
        assert_eq!(scan("a,b,c").0, LineScan::Incomplete);
        assert_eq!(scan("a,b,c\r").0, LineScan::Incomplete);
        let long = "1234567,".repeat(20) + "x\n";
        let (r, e) = scan(&long);
        assert_eq!(r, LineScan::Plain(long.len() - 1, true));
        assert_eq!(e, (0..20).map(|k| k * 8 + 7).collect::<Vec<_>>());
        // Bytes above 0x7F and the delimiter's neighbours never match by accident.
        let (r, e) = scan("é,\u{2c2c},-\x01\n");
        assert_eq!(r, LineScan::Plain(9, false));
        assert_eq!(e, vec![2, 6]);
    }

    /// The ASCII flag covers exactly the bytes before the line end, wherever a non-ASCII byte
    /// falls relative to the 16- and 8-byte blocks, in both scanners.
    #[test]
    fn ascii_flag_covers_exactly_the_line() {
        for len in 0..40 {
            for at in 0..len + 3 {
                let mut line: Vec<u8> = (0..len)
                    .map(|k| if k % 5 == 4 { b',' } else { b'a' })
                    .collect();
                line.push(b'\n');
                line.extend_from_slice(b"tail,after,the,line");
                if at < line.len() && at != len {
                    line[at] = 0xC3;
                }
                let nl = line.iter().position(|&b| b == b'\n').unwrap();
                let expect = LineScan::Plain(nl, line[..nl].is_ascii());
                let (mut e1, mut e2) = (Vec::new(), Vec::new());
                assert_eq!(scan_line(&line, b',', &mut e1), expect, "len {len} at {at}");
                assert_eq!(
                    scan_line_swar(&line, b',', &mut e2),
                    expect,
                    "len {len} at {at}"
                );
                assert_eq!(e1, e2);
            }
        }
        // A delimiter byte above 0x7F is not ASCII either, also in the byte-wise tail.
        let (mut e1, mut e2) = (Vec::new(), Vec::new());
        assert_eq!(
            scan_line(b"a\xA6b\n", 0xA6, &mut e1),
            LineScan::Plain(3, false)
        );
        assert_eq!(
            scan_line_swar(b"a\xA6b\n", 0xA6, &mut e2),
            LineScan::Plain(3, false)
        );
        assert_eq!((e1, e2), (vec![1], vec![1]));
    }

    /// A byte-at-a-time reference scanner.
    fn reference(input: &[u8], delimiter: u8) -> (LineScan, Vec<usize>) {
        let mut ends = Vec::new();
        for (i, &b) in input.iter().enumerate() {
            match b {
                b'\n' | b'"' | b'\r' => {
                    return (classify(input, i, input[..i].is_ascii()), ends);
                }
                b if b == delimiter => ends.push(i),
                _ => {}
            }
        }
        (LineScan::Incomplete, ends)
    }

    /// Both block scanners agree with the reference on random lines of every length around the
    /// 8-, 16- and 32-byte steps, with delimiters, quotes, CRs, newlines and non-ASCII bytes
    /// at random places.
    #[test]
    fn block_scanners_match_the_reference() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let alphabet = b"aaaaaaaaaaaaaaaa0123456789,,,,;\xC3\xA9\"\r\n ";
        for round in 0..20_000 {
            let len = (next() % 140) as usize;
            let rare = round % 3 == 0;
            let line: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next() as usize;
                    if rare && !r.is_multiple_of(50) {
                        b"abc,"[r % 4]
                    } else {
                        alphabet[r % alphabet.len()]
                    }
                })
                .collect();
            for delimiter in [b',', b';'] {
                let want = reference(&line, delimiter);
                let (mut e1, mut e2) = (Vec::new(), Vec::new());
                let r1 = scan_line(&line, delimiter, &mut e1);
                let r2 = scan_line_swar(&line, delimiter, &mut e2);
                // On a line the parser must read, the ends found so far do not matter.
                if want.0 != LineScan::NeedsParser {
                    assert_eq!((&r1, &e1), (&want.0, &want.1), "{line:?}");
                    assert_eq!((&r2, &e2), (&want.0, &want.1), "{line:?}");
                } else {
                    assert_eq!((r1, r2), (LineScan::NeedsParser, LineScan::NeedsParser));
                }
            }
        }
    }
}

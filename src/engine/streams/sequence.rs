//! Sequence numbers in AWS's version-2 layout (56 decimal digits).
//!
//! Written in hex the number has 47 digits:
//! `2` | shard creation time, epoch s (9 hex) | low nibble of the shard index (1) |
//! counter (16) | `00` | record arrival time, epoch s (9) | shard index (8) | `2` (version).
//! The counter sits above the arrival time, so within one shard numbers compare like their
//! counters; Kinesim keeps one counter per stream (AWS shares it between neighbouring shards),
//! which makes them strictly increasing per shard.

use serde::{Deserialize, Serialize};

/// Counter value AWS puts in a closed shard's `EndingSequenceNumber`.
pub const ENDING_COUNTER: u64 = 0x7fff_ffff_ffff_ffff;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceNumber {
    pub shard_created_s: u64,
    pub shard_index: u32,
    pub counter: u64,
    pub arrival_s: u64,
}

/// What a client-supplied sequence number says about where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoded {
    V2(SequenceNumber),
    /// An older or foreign layout: AWS reads the low digits as a shard index; 0 fails inside AWS.
    Legacy {
        shard_index: u64,
        is_zero: bool,
    },
}

impl SequenceNumber {
    /// The 188-bit number in decimal, built from its fields as fixed-width limbs: this runs once
    /// per record written, so it avoids strings and arbitrary precision (see `make bench`).
    pub fn to_decimal(&self) -> String {
        // Bit positions follow the hex layout above: hex digit k from the right is bits 4k..4k+3.
        let lo: u128 = 2
            | u128::from(self.shard_index) << 4
            | u128::from(self.arrival_s & 0xf_ffff_ffff) << 36
            | u128::from(self.counter) << 80;
        let hi: u64 = self.counter >> 48
            | u64::from(self.shard_index & 0xf) << 16
            | (self.shard_created_s & 0xf_ffff_ffff) << 20
            | 2 << 56;
        // Base 2^32 limbs, most significant first; dividing by 10^9 keeps every step in u64,
        // where the compiler turns the constant division into a multiplication.
        let mut limbs = [hi >> 32, hi & 0xffff_ffff, (lo >> 96) as u64, (lo >> 64) as u64 & 0xffff_ffff, (lo >> 32) as u64 & 0xffff_ffff, lo as u64 & 0xffff_ffff];
        const CHUNK: u64 = 1_000_000_000;
        let mut chunks = [0u64; 7];
        let mut used = 0;
        while limbs.iter().any(|l| *l != 0) {
            let mut rem = 0u64;
            for limb in &mut limbs {
                let cur = rem << 32 | *limb;
                *limb = cur / CHUNK;
                rem = cur % CHUNK;
            }
            chunks[used] = rem;
            used += 1;
        }
        let mut digits = Vec::with_capacity(used * 9);
        for chunk in chunks[..used].iter().rev() {
            let mut c = *chunk;
            let mut block = [b'0'; 9];
            for d in block.iter_mut().rev() {
                *d = b'0' + (c % 10) as u8;
                c /= 10;
            }
            digits.extend_from_slice(&block);
        }
        let first = digits.iter().position(|&d| d != b'0').unwrap_or(digits.len().saturating_sub(1));
        String::from_utf8_lossy(&digits[first..]).into_owned()
    }
}

/// Decodes a decimal sequence number (syntax `0|[1-9]\d{0,128}` already checked). Numbers
/// that fit 192 bits (every number AWS issues) are read with fixed-width arithmetic, since
/// readers decode one per record; longer legacy ones take the arbitrary-precision path.
pub fn decode(decimal: &str) -> Option<Decoded> {
    match decimal_to_192(decimal) {
        Some((hi, lo)) => Some(decode_192(hi, lo)),
        None => decode_long(decimal),
    }
}

/// `decimal` as a 192-bit number (`hi` holds bits 128..191), or `None` if it does not fit.
fn decimal_to_192(decimal: &str) -> Option<(u64, u128)> {
    if decimal.is_empty() || !decimal.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (mut hi, mut lo) = (0u64, 0u128);
    for chunk in decimal.as_bytes().chunks(19) {
        let digits = std::str::from_utf8(chunk).ok()?;
        let value: u64 = digits.parse().ok()?;
        let scale = 10u64.pow(chunk.len() as u32);
        // (hi, lo) * scale + value, carrying 64 bits at a time.
        let low = u128::from(lo as u64) * u128::from(scale) + u128::from(value);
        let mid = (lo >> 64) * u128::from(scale) + (low >> 64);
        let high = u128::from(hi) * u128::from(scale) + (mid >> 64);
        if high >> 64 != 0 {
            return None;
        }
        hi = high as u64;
        lo = (low as u64 as u128) | ((mid as u64 as u128) << 64);
    }
    Some((hi, lo))
}

/// The fields of a 192-bit number laid out as the module comment describes.
fn decode_192(hi: u64, lo: u128) -> Decoded {
    // Version 2: exactly 47 hex digits, the first and the last `2`.
    if hi >> 56 == 2 && lo & 0xf == 2 {
        return Decoded::V2(SequenceNumber {
            shard_created_s: (hi >> 20) & 0xf_ffff_ffff,
            counter: ((hi & 0xffff) << 48) | (lo >> 80) as u64,
            arrival_s: (lo >> 36) as u64 & 0xf_ffff_ffff,
            shard_index: (lo >> 4) as u32,
        });
    }
    Decoded::Legacy { shard_index: lo as u64 & 0xffff_ffff, is_zero: hi == 0 && lo == 0 }
}

fn decode_long(decimal: &str) -> Option<Decoded> {
    let n = BigUint::from_radix(decimal, 10)?;
    let hex = n.to_radix_string(16);
    let low = &hex[hex.len().saturating_sub(8)..];
    Some(Decoded::Legacy {
        shard_index: u64::from_str_radix(low, 16).ok()?,
        is_zero: n.is_zero(),
    })
}

/// Just enough arbitrary precision for 188-bit numbers: little-endian base-2^32 limbs.
struct BigUint(Vec<u32>);

impl BigUint {
    fn from_radix(digits: &str, radix: u32) -> Option<Self> {
        let mut limbs: Vec<u32> = Vec::new();
        for c in digits.chars() {
            let mut carry = u64::from(c.to_digit(radix)?);
            for limb in limbs.iter_mut() {
                let v = u64::from(*limb) * u64::from(radix) + carry;
                *limb = v as u32;
                carry = v >> 32;
            }
            if carry > 0 {
                limbs.push(carry as u32);
            }
        }
        Some(Self(limbs))
    }

    fn is_zero(&self) -> bool {
        self.0.iter().all(|&l| l == 0)
    }

    fn to_radix_string(&self, radix: u32) -> String {
        let mut limbs = self.0.clone();
        let mut out = Vec::new();
        while limbs.iter().any(|&l| l != 0) {
            let mut rem = 0u64;
            for limb in limbs.iter_mut().rev() {
                let v = (rem << 32) | u64::from(*limb);
                *limb = (v / u64::from(radix)) as u32;
                rem = v % u64::from(radix);
            }
            out.push(char::from_digit(rem as u32, radix).unwrap_or('0'));
        }
        if out.is_empty() {
            out.push('0');
        }
        out.iter().rev().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_published_aws_example() {
        let Some(Decoded::V2(s)) =
            decode("49600871682957036442365024926191073437251060580128653314")
        else {
            panic!("not v2")
        };
        assert_eq!(s.shard_created_s, 0x5db759cd);
        assert_eq!(s.shard_index, 0);
        assert_eq!(s.counter, 0);
        assert_eq!(
            s.to_decimal(),
            "49600871682957036442365024926191073437251060580128653314"
        );
    }

    #[test]
    fn sixteen_shard_log_value_is_shard_6() {
        let Some(Decoded::V2(s)) =
            decode("49627894338480851089309627289524549239292625588395704418")
        else {
            panic!("not v2")
        };
        assert_eq!(s.shard_index, 6);
    }

    #[test]
    fn modern_numbers_have_56_digits_and_neighbours_differ_by_16_pow_36_plus_16() {
        let mk = |i| SequenceNumber {
            shard_created_s: 1_767_225_600,
            shard_index: i,
            counter: 0,
            arrival_s: 1_767_225_600,
        };
        let (a, b) = (mk(0).to_decimal(), mk(1).to_decimal());
        assert_eq!(a.len(), 56);
        let diff = b.parse::<f64>().unwrap() - a.parse::<f64>().unwrap();
        assert!((diff / 22300745198530623141535718272648361505980432.0 - 1.0).abs() < 1e-9);
    }

    #[test]
    fn numbers_grow_with_the_counter() {
        let mk = |c| {
            SequenceNumber {
                shard_created_s: 1_767_225_600,
                shard_index: 3,
                counter: c,
                arrival_s: 1_767_225_999,
            }
            .to_decimal()
        };
        let (a, b) = (mk(41), mk(42));
        assert!(a.len() < b.len() || (a.len() == b.len() && a < b));
        assert_eq!(
            decode(&b),
            Some(Decoded::V2(SequenceNumber {
                shard_created_s: 1_767_225_600,
                shard_index: 3,
                counter: 42,
                arrival_s: 1_767_225_999
            }))
        );
    }

    /// The limb arithmetic agrees with the layout read as hex and converted digit by digit.
    #[test]
    fn decimal_matches_the_hex_layout() {
        let fields = [
            (0, 0, 0, 0),
            (1_767_225_600, 0, 1, 1_767_225_601),
            (0xf_ffff_ffff, u32::MAX, u64::MAX, 0xf_ffff_ffff),
            (1_572_297_165, 17, ENDING_COUNTER, 1_572_297_166),
        ];
        for (created, index, counter, arrival) in fields {
            let n = SequenceNumber { shard_created_s: created, shard_index: index, counter, arrival_s: arrival };
            let hex = format!("2{created:09x}{:x}{counter:016x}00{arrival:09x}{index:08x}2", index & 0xf);
            let want = BigUint::from_radix(&hex, 16).map(|b| b.to_radix_string(10));
            assert_eq!(Some(n.to_decimal()), want, "{hex}");
        }
    }

    #[test]
    fn fixed_width_decoding_round_trips_and_reads_legacy_numbers() {
        let n = SequenceNumber { shard_created_s: 1_767_225_600, shard_index: 70_000, counter: 123_456_789_012, arrival_s: 1_767_225_601 };
        assert_eq!(decode(&n.to_decimal()), Some(Decoded::V2(n)));
        // 2^192 does not fit: the long path answers, as before.
        let big = "6277101735386680763835789423207666416102355444464034512896";
        assert!(matches!(decode(big), Some(Decoded::Legacy { is_zero: false, .. })));
        assert_eq!(decode("4294967297"), Some(Decoded::Legacy { shard_index: 1, is_zero: false }));
    }

    #[test]
    fn small_numbers_are_legacy() {
        assert_eq!(
            decode("5"),
            Some(Decoded::Legacy {
                shard_index: 5,
                is_zero: false
            })
        );
        assert_eq!(
            decode("0"),
            Some(Decoded::Legacy {
                shard_index: 0,
                is_zero: true
            })
        );
        assert_eq!(decode("x"), None);
    }
}

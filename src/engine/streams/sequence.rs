//! Sequence numbers in AWS's version-2 layout (56 decimal digits).
//!
//! Written in hex the number has 47 digits:
//! `2` | shard creation time, epoch s (9 hex) | low nibble of the shard index (1) |
//! counter (16) | `00` | record arrival time, epoch s (9) | shard index (8) | `2` (version).
//! The counter sits above the arrival time, so within one shard numbers compare like their
//! counters; Kinesim keeps one counter per stream (AWS shares it between neighbouring shards),
//! which makes them strictly increasing per shard.

use serde::Serialize;

/// Counter value AWS puts in a closed shard's `EndingSequenceNumber`.
pub const ENDING_COUNTER: u64 = 0x7fff_ffff_ffff_ffff;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// Decodes a decimal sequence number (syntax `0|[1-9]\d{0,128}` already checked).
pub fn decode(decimal: &str) -> Option<Decoded> {
    let n = BigUint::from_radix(decimal, 10)?;
    let hex = n.to_radix_string(16);
    if hex.len() == 47 && hex.starts_with('2') && hex.ends_with('2') {
        let field = |from: usize, to: usize| u64::from_str_radix(&hex[from..to], 16).ok();
        return Some(Decoded::V2(SequenceNumber {
            shard_created_s: field(1, 10)?,
            counter: field(11, 27)?,
            arrival_s: field(29, 38)?,
            shard_index: u32::try_from(field(38, 46)?).ok()?,
        }));
    }
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

//! Kemendagri region codes (kode wilayah) and the province > regency >
//! district > village hierarchy they encode.
//!
//! A code's shape alone tells its level and its ancestors, so scope checks
//! ("is this village inside that regency?") never need the database.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, ValidationCode};

/// The four administrative levels, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// Provinsi, e.g. `35`.
    Province,
    /// Kabupaten or kota, e.g. `35.23`.
    Regency,
    /// Kecamatan, e.g. `35.23.01`.
    District,
    /// Desa or kelurahan, e.g. `35.23.01.2001`.
    Village,
}

impl RegionLevel {
    /// Stable name used in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::Regency => "regency",
            RegionLevel::District => "district",
            RegionLevel::Village => "village",
        }
    }

    /// Parses the stable name written by [`RegionLevel::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "province" => Some(RegionLevel::Province),
            "regency" => Some(RegionLevel::Regency),
            "district" => Some(RegionLevel::District),
            "village" => Some(RegionLevel::Village),
            _ => None,
        }
    }

    /// The level below this one, if any.
    pub fn child(self) -> Option<Self> {
        match self {
            RegionLevel::Province => Some(RegionLevel::Regency),
            RegionLevel::Regency => Some(RegionLevel::District),
            RegionLevel::District => Some(RegionLevel::Village),
            RegionLevel::Village => None,
        }
    }
}

/// A syntactically valid Kemendagri region code.
///
/// Shapes: `NN`, `NN.NN`, `NN.NN.NN`, `NN.NN.NN.NNNN` (digits only).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    /// Parses a code, rejecting anything that is not one of the four shapes.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        let parts: Vec<&str> = s.split('.').collect();
        let widths: &[usize] = &[2, 2, 2, 4];
        let well_formed = !parts.is_empty()
            && parts.len() <= 4
            && parts
                .iter()
                .zip(widths)
                .all(|(part, &width)| part.len() == width && part.bytes().all(|b| b.is_ascii_digit()));
        if well_formed {
            Ok(RegionCode(s.to_owned()))
        } else {
            Err(FieldError::new("region", ValidationCode::MalformedRegionCode))
        }
    }

    /// The code as text, e.g. `35.23`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level the code's shape denotes.
    pub fn level(&self) -> RegionLevel {
        match self.0.matches('.').count() {
            0 => RegionLevel::Province,
            1 => RegionLevel::Regency,
            2 => RegionLevel::District,
            _ => RegionLevel::Village,
        }
    }

    /// The code of the region directly above, or `None` for a province.
    pub fn parent(&self) -> Option<RegionCode> {
        self.0.rfind('.').map(|i| RegionCode(self.0[..i].to_owned()))
    }

    /// This code and every code above it, from the province down.
    pub fn lineage(&self) -> Vec<RegionCode> {
        let mut chain = vec![self.clone()];
        while let Some(parent) = chain.last().and_then(RegionCode::parent) {
            chain.push(parent);
        }
        chain.reverse();
        chain
    }

    /// The province this region lies in.
    pub fn province(&self) -> RegionCode {
        RegionCode(self.0[..2].to_owned())
    }

    /// The regency this region lies in, or `None` for a province.
    pub fn regency(&self) -> Option<RegionCode> {
        (self.level() >= RegionLevel::Regency).then(|| RegionCode(self.0[..5].to_owned()))
    }

    /// True when `other` is this region or lies inside it.
    pub fn contains(&self, other: &RegionCode) -> bool {
        other.0 == self.0
            || (other.0.len() > self.0.len()
                && other.0.starts_with(&self.0)
                && other.0.as_bytes()[self.0.len()] == b'.')
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for RegionCode {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionCode::parse(s)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        RegionCode::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(code: RegionCode) -> String {
        code.0
    }
}

/// A region as stored: code, official name and place in the hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    pub code: RegionCode,
    pub name: String,
}

impl Region {
    /// The level of this region.
    pub fn level(&self) -> RegionLevel {
        self.code.level()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn accepts_the_four_shapes_and_reports_their_level() {
        assert_eq!(code("35").level(), RegionLevel::Province);
        assert_eq!(code("35.23").level(), RegionLevel::Regency);
        assert_eq!(code("35.23.01").level(), RegionLevel::District);
        assert_eq!(code("35.23.01.2001").level(), RegionLevel::Village);
    }

    #[test]
    fn rejects_malformed_codes() {
        for bad in [
            "",
            "3",
            "355",
            "35.2",
            "35.23.1",
            "35.23.01.201",
            "35.23.01.20011",
            "ab",
            "35..23",
            "35.23.01.2001.1",
            "35.23.01.200a",
            "35/23",
        ] {
            let err = RegionCode::parse(bad).unwrap_err();
            assert_eq!(err.code, ValidationCode::MalformedRegionCode, "{bad:?}");
        }
    }

    #[test]
    fn lineage_runs_from_province_down() {
        let chain: Vec<String> = code("35.23.01.2001").lineage().into_iter().map(String::from).collect();
        assert_eq!(chain, ["35", "35.23", "35.23.01", "35.23.01.2001"]);
        assert_eq!(code("35").parent(), None);
        assert_eq!(code("35.23.01").regency(), Some(code("35.23")));
        assert_eq!(code("35").regency(), None);
    }

    #[test]
    fn containment_follows_code_boundaries() {
        assert!(code("35").contains(&code("35.23.01.2001")));
        assert!(code("35.23").contains(&code("35.23")));
        assert!(!code("35.23").contains(&code("35.24.01")));
        assert!(!code("35.23.01").contains(&code("35.23")));
        assert!(!code("35").contains(&code("36.01")));
    }
}

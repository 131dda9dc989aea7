//! The mapping profile: a column mapping as a small JSON file that names columns by their header text, not their
//! position, so the Upload screen's mapping applies to every later export of the same kind (`warehouse-sync
//! --mapping`).

use serde::{Deserialize, Serialize};

use crate::upload::mapping::{normalise, KeyColumn, Layout, Mapping, StoreColumn, StoreField};
use crate::upload::offer::KeyKind;

/// The value of the profile's `format` field.
pub const FORMAT: &str = "warehouse-sync mapping 1";

/// The file name the panel offers when it saves a profile.
pub const FILE_NAME: &str = "warehouse-sync-mapping.json";

/// A column by its header text (compared as mappings compare headers: case, `_` and spaces do not matter), and
/// which one of that name when the header repeats it (1 = the first; written only then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ColumnRef {
    Name(String),
    Nth { name: String, nth: usize },
}

/// A key column of the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileKey {
    pub kind: KeyKind,
    pub column: ColumnRef,
}

/// A warehouse column of the wide layout: the warehouse's code in the CRM and the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileStoreColumn {
    pub column: ColumnRef,
    pub store: String,
    pub field: StoreField,
}

/// How rows carry the stock (see [`Layout`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "layout")]
pub enum ProfileLayout {
    #[serde(rename_all = "camelCase")]
    Wide { columns: Vec<ProfileStoreColumn> },
    #[serde(rename_all = "camelCase")]
    Long {
        store_column: ColumnRef,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        quantity_column: Option<ColumnRef>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        purchase_price_column: Option<ColumnRef>,
    },
}

/// A saved mapping (see the module's doc).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MappingProfile {
    pub format: String,
    /// Key columns in priority order (a row's first non-blank one names the offer).
    pub keys: Vec<ProfileKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_column: Option<ColumnRef>,
    /// The site of rows without a site cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_site: Option<String>,
    #[serde(flatten)]
    pub layout: ProfileLayout,
}

/// Why a profile does not fit a file (or is not a profile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileProblem {
    /// Not JSON of a profile: the parser's words.
    Unreadable(String),
    /// Another `format` (a newer version, or another kind of file).
    UnknownFormat(String),
    /// The mapping names a column the header does not have (a damaged mapping).
    NoSuchColumn(usize),
    /// The file has no column of this name (or fewer of them than `nth`).
    MissingColumn(String),
    /// The file has several columns of this name and the profile does not say which.
    RepeatedColumn(String),
}

impl std::fmt::Display for ProfileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unreadable(detail) => write!(f, "not a mapping profile ({detail})"),
            Self::UnknownFormat(format) => write!(
                f,
                "a mapping profile of format «{format}», this version reads «{FORMAT}»"
            ),
            Self::NoSuchColumn(column) => write!(f, "the mapping names column {}, which the header does not have", column + 1),
            Self::MissingColumn(name) => write!(f, "the file has no column «{name}»"),
            Self::RepeatedColumn(name) => write!(
                f,
                "the file has several columns «{name}» and the profile does not say which (add \"nth\")"
            ),
        }
    }
}

impl ColumnRef {
    /// The reference of column `column` of `header`: its name, and which of that name when repeated.
    fn of(header: &[String], column: usize) -> Result<ColumnRef, ProfileProblem> {
        let name = header
            .get(column)
            .ok_or(ProfileProblem::NoSuchColumn(column))?;
        let wanted = normalise(name);
        let same: Vec<usize> = (0..header.len())
            .filter(|&c| normalise(&header[c]) == wanted)
            .collect();
        Ok(if same.len() > 1 {
            ColumnRef::Nth {
                name: name.clone(),
                nth: same.iter().position(|&c| c == column).unwrap_or(0) + 1,
            }
        } else {
            ColumnRef::Name(name.clone())
        })
    }

    fn name(&self) -> &str {
        match self {
            ColumnRef::Name(name) | ColumnRef::Nth { name, .. } => name,
        }
    }

    /// The position of this column in `header`.
    fn find(&self, header: &[String]) -> Result<usize, ProfileProblem> {
        let wanted = normalise(self.name());
        let same: Vec<usize> = (0..header.len())
            .filter(|&c| normalise(&header[c]) == wanted)
            .collect();
        let missing = || ProfileProblem::MissingColumn(self.name().to_string());
        match self {
            ColumnRef::Name(_) if same.len() > 1 => {
                Err(ProfileProblem::RepeatedColumn(self.name().to_string()))
            }
            ColumnRef::Name(_) => same.first().copied().ok_or_else(missing),
            ColumnRef::Nth { nth, .. } => nth
                .checked_sub(1)
                .and_then(|i| same.get(i).copied())
                .ok_or_else(missing),
        }
    }
}

impl MappingProfile {
    /// The profile of `mapping` (columns named by its header).
    pub fn of(mapping: &Mapping) -> Result<MappingProfile, ProfileProblem> {
        let header = &mapping.header;
        let column = |c: usize| ColumnRef::of(header, c);
        let keys = mapping
            .keys
            .iter()
            .map(|k| {
                Ok(ProfileKey {
                    kind: k.kind,
                    column: column(k.column)?,
                })
            })
            .collect::<Result<_, ProfileProblem>>()?;
        let layout = match &mapping.layout {
            Layout::Wide { columns } => ProfileLayout::Wide {
                columns: columns
                    .iter()
                    .map(|c| {
                        Ok(ProfileStoreColumn {
                            column: column(c.column)?,
                            store: c.store.clone(),
                            field: c.field,
                        })
                    })
                    .collect::<Result<_, ProfileProblem>>()?,
            },
            Layout::Long {
                store_column,
                quantity_column,
                purchase_price_column,
            } => ProfileLayout::Long {
                store_column: column(*store_column)?,
                quantity_column: quantity_column.map(column).transpose()?,
                purchase_price_column: purchase_price_column.map(column).transpose()?,
            },
        };
        Ok(MappingProfile {
            format: FORMAT.to_string(),
            keys,
            site_column: mapping.site_column.map(column).transpose()?,
            default_site: mapping.default_site.clone(),
            layout,
        })
    }

    /// The profile as the file the panel saves (pretty JSON).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// A profile read from its file.
    pub fn parse(text: &str) -> Result<MappingProfile, ProfileProblem> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ProfileProblem::Unreadable(e.to_string()))?;
        let format = value.get("format").and_then(|f| f.as_str()).unwrap_or("");
        if format != FORMAT {
            return Err(ProfileProblem::UnknownFormat(format.to_string()));
        }
        crate::api::json::decode(value).map_err(|e| ProfileProblem::Unreadable(e.to_string()))
    }

    /// The mapping of a file with `header`: every problem when some column cannot be found.
    pub fn mapping_for(&self, header: &[String]) -> Result<Mapping, Vec<ProfileProblem>> {
        let mut problems = Vec::new();
        let mut find = |c: &ColumnRef| match c.find(header) {
            Ok(column) => Some(column),
            Err(p) => {
                problems.push(p);
                None
            }
        };
        let keys: Vec<KeyColumn> = self
            .keys
            .iter()
            .filter_map(|k| {
                find(&k.column).map(|column| KeyColumn {
                    kind: k.kind,
                    column,
                })
            })
            .collect();
        let site_column = self.site_column.as_ref().and_then(&mut find);
        let layout = match &self.layout {
            ProfileLayout::Wide { columns } => Layout::Wide {
                columns: columns
                    .iter()
                    .filter_map(|c| {
                        find(&c.column).map(|column| StoreColumn {
                            column,
                            store: c.store.clone(),
                            field: c.field,
                        })
                    })
                    .collect(),
            },
            ProfileLayout::Long {
                store_column,
                quantity_column,
                purchase_price_column,
            } => Layout::Long {
                store_column: find(store_column).unwrap_or(0),
                quantity_column: quantity_column.as_ref().and_then(&mut find),
                purchase_price_column: purchase_price_column.as_ref().and_then(&mut find),
            },
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Mapping {
            header: header.to_vec(),
            keys,
            site_column,
            default_site: self.default_site.clone(),
            layout,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::mapping::suggest_mapping;
    use crate::upload::warehouse::test_warehouses;

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_profile_maps_a_file_by_names_whatever_the_order() {
        let h = header(&["Артикул", "Сайт", "MAIN", "main purchase_price", "comment"]);
        let mut mapping = suggest_mapping(&h, &test_warehouses());
        mapping.default_site = Some("shop-a".into());
        let profile = MappingProfile::of(&mapping).unwrap();
        let json = profile.to_json();
        assert!(
            json.contains(r#""format": "warehouse-sync mapping 1""#),
            "{json}"
        );
        assert!(json.contains(r#""layout": "wide""#), "{json}");
        assert!(json.contains(r#""column": "Артикул""#), "{json}");
        let back = MappingProfile::parse(&json).unwrap();
        assert_eq!(back, profile);
        assert_eq!(back.mapping_for(&h), Ok(mapping));

        // Next week's export: columns moved, one added, another spelling of the same names.
        let moved = header(&["note", "main_purchase_price", "main", "артикул", "сайт"]);
        let m = back.mapping_for(&moved).unwrap();
        assert_eq!(
            m.keys,
            vec![KeyColumn {
                kind: KeyKind::ExternalId,
                column: 3
            }]
        );
        assert_eq!(m.site_column, Some(4));
        assert_eq!(
            m.layout,
            Layout::Wide {
                columns: vec![
                    StoreColumn {
                        column: 2,
                        store: "main".into(),
                        field: StoreField::Quantity
                    },
                    StoreColumn {
                        column: 1,
                        store: "main".into(),
                        field: StoreField::PurchasePrice
                    },
                ]
            }
        );
        assert_eq!(m.default_site.as_deref(), Some("shop-a"));
    }

    #[test]
    fn missing_and_repeated_columns_are_said() {
        let h = header(&["externalId", "store", "qty"]);
        let profile = MappingProfile::of(&suggest_mapping(&h, &test_warehouses())).unwrap();
        assert!(matches!(profile.layout, ProfileLayout::Long { .. }));
        assert_eq!(
            profile.mapping_for(&header(&["externalId", "Store", "qty", "QTY"])),
            Err(vec![ProfileProblem::RepeatedColumn("qty".into())])
        );
        assert_eq!(
            profile.mapping_for(&header(&["id", "store"])),
            Err(vec![
                ProfileProblem::MissingColumn("externalId".into()),
                ProfileProblem::MissingColumn("qty".into())
            ])
        );
    }

    #[test]
    fn repeated_header_names_are_told_apart_by_their_rank() {
        let h = header(&["externalId", "Остаток", "Остаток"]);
        let mapping = Mapping {
            header: h.clone(),
            keys: vec![KeyColumn {
                kind: KeyKind::ExternalId,
                column: 0,
            }],
            site_column: None,
            default_site: None,
            layout: Layout::Wide {
                columns: vec![StoreColumn {
                    column: 2,
                    store: "north".into(),
                    field: StoreField::Quantity,
                }],
            },
        };
        let profile = MappingProfile::of(&mapping).unwrap();
        assert!(profile.to_json().contains(r#""nth": 2"#));
        assert_eq!(
            MappingProfile::parse(&profile.to_json())
                .unwrap()
                .mapping_for(&h),
            Ok(mapping)
        );
        assert_eq!(
            profile.mapping_for(&header(&["externalId", "Остаток"])),
            Err(vec![ProfileProblem::MissingColumn("Остаток".into())])
        );
    }

    #[test]
    fn other_files_are_not_profiles() {
        assert!(matches!(
            MappingProfile::parse("externalId;main"),
            Err(ProfileProblem::Unreadable(_))
        ));
        assert_eq!(
            MappingProfile::parse(r#"{"format":"warehouse-sync mapping 2"}"#),
            Err(ProfileProblem::UnknownFormat(
                "warehouse-sync mapping 2".into()
            ))
        );
        let damaged = r#"{"format":"warehouse-sync mapping 1","keys":[],"layout":"tall"}"#;
        assert!(matches!(
            MappingProfile::parse(damaged),
            Err(ProfileProblem::Unreadable(_))
        ));
        let mut mapping = suggest_mapping(&header(&["id", "main"]), &test_warehouses());
        mapping.site_column = Some(7);
        assert_eq!(
            MappingProfile::of(&mapping),
            Err(ProfileProblem::NoSuchColumn(7))
        );
    }
}

//! Facts about AWS that brewgen checks descriptions against: regions and their availability
//! zones, Fargate task sizes, managed WAF rule groups, ISO country codes and name limits.

/// Commercial regions and the availability-zone letters brewgen pins in each, in order.
pub const REGIONS: &[(&str, &str)] = &[
    ("af-south-1", "abc"),
    ("ap-east-1", "abc"),
    ("ap-northeast-1", "acd"),
    ("ap-northeast-2", "abcd"),
    ("ap-northeast-3", "abc"),
    ("ap-south-1", "abc"),
    ("ap-south-2", "abc"),
    ("ap-southeast-1", "abc"),
    ("ap-southeast-2", "abc"),
    ("ap-southeast-3", "abc"),
    ("ap-southeast-4", "abc"),
    ("ca-central-1", "abd"),
    ("ca-west-1", "abc"),
    ("eu-central-1", "abc"),
    ("eu-central-2", "abc"),
    ("eu-north-1", "abc"),
    ("eu-south-1", "abc"),
    ("eu-south-2", "abc"),
    ("eu-west-1", "abc"),
    ("eu-west-2", "abc"),
    ("eu-west-3", "abc"),
    ("il-central-1", "abc"),
    ("me-central-1", "abc"),
    ("me-south-1", "abc"),
    ("sa-east-1", "abc"),
    ("us-east-1", "abcdef"),
    ("us-east-2", "abc"),
    ("us-west-1", "bc"),
    ("us-west-2", "abcd"),
];

pub fn az_letters(region: &str) -> Option<&'static str> {
    REGIONS.iter().find(|(r, _)| *r == region).map(|(_, l)| *l)
}

/// The memory sizes (MiB) Fargate accepts for a task CPU size, or `None` for an invalid CPU.
pub fn fargate_memory(cpu: i64) -> Option<Vec<i64>> {
    let (lo, hi, step) = match cpu {
        256 => return Some(vec![512, 1024, 2048]),
        512 => (1024, 4096, 1024),
        1024 => (2048, 8192, 1024),
        2048 => (4096, 16384, 1024),
        4096 => (8192, 30720, 1024),
        8192 => (16384, 61440, 4096),
        16384 => (32768, 122880, 8192),
        _ => return None,
    };
    Some((lo..=hi).step_by(step as usize).collect())
}

pub const FARGATE_CPUS: &[i64] = &[256, 512, 1024, 2048, 4096, 8192, 16384];

/// brewgen's short names for AWS managed rule groups, and the group each stands for.
pub const MANAGED_RULES: &[(&str, &str)] = &[
    ("admin-protection", "AWSManagedRulesAdminProtectionRuleSet"),
    ("anonymous-ip", "AWSManagedRulesAnonymousIpList"),
    ("common", "AWSManagedRulesCommonRuleSet"),
    ("ip-reputation", "AWSManagedRulesAmazonIpReputationList"),
    ("known-bad-inputs", "AWSManagedRulesKnownBadInputsRuleSet"),
    ("linux", "AWSManagedRulesLinuxRuleSet"),
    ("php", "AWSManagedRulesPHPRuleSet"),
    ("sqli", "AWSManagedRulesSQLiRuleSet"),
    ("unix", "AWSManagedRulesUnixRuleSet"),
    ("windows", "AWSManagedRulesWindowsRuleSet"),
    ("wordpress", "AWSManagedRulesWordPressRuleSet"),
];

/// PostgreSQL major versions RDS supports (standard support) and brewgen generates for.
pub const POSTGRES_VERSIONS: &[&str] = &["13", "14", "15", "16", "17"];

/// Retention periods CloudWatch Logs accepts, in days.
pub const LOG_RETENTION_DAYS: &[i64] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// ISO 3166-1 alpha-2 country codes.
pub const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM \
BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG \
EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL \
IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF \
MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL \
PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG \
TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

pub fn is_country(code: &str) -> bool {
    code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code)
}

/// Largest WAF rate-based rule limit AWS accepts; the smallest is 10.
pub const WAF_RATE_LIMIT_MAX: i64 = 2_000_000_000;

//! Reading scans, findings, re-screens and counts.

use super::{json, paged};
use crate::db::{Db, Row, Val};
use crate::{
    FindingDraft, FindingFilter, FindingKey, FindingRow, Page, PageRequest, Rescreen, ScanId,
    ScanInfo, ScanRecord, ScanStatus, StoreError, StoreStats, UploadId,
};

const SCAN_COLUMNS: &str = "s.id, s.upload_id, u.name, u.host, u.profile, u.action, s.status, \
    s.cause, s.attempt, s.queued_at, s.finished_at, s.summary, s.kb_hash, s.waivers_hash, \
    s.error, s.current";
const SCAN_FROM: &str = "FROM scans s JOIN uploads u ON u.id = s.upload_id";

fn scan_info(row: &Row) -> Result<ScanInfo, StoreError> {
    let status = row.text(6)?;
    Ok(ScanInfo {
        id: ScanId(row.int(0)?),
        upload: UploadId(row.int(1)?),
        name: row.text(2)?,
        host: row.opt_text(3)?,
        profile: row.text(4)?,
        action: row.text(5)?,
        status: ScanStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown scan status {status:?}")))?,
        cause: json(&row.text(7)?)?,
        attempt: u32::try_from(row.int(8)?).unwrap_or(u32::MAX),
        queued_at: row.time(9)?,
        finished_at: row.opt_time(10)?,
        summary: row.opt_text(11)?.map(|s| json(&s)).transpose()?,
        kb_hash: row.opt_text(12)?,
        waivers_hash: row.opt_text(13)?,
        error: row.opt_text(14)?,
        current: row.int(15)? != 0,
    })
}

/// One scan with its report.
pub(crate) async fn scan<D: Db>(db: &mut D, id: ScanId) -> Result<Option<ScanRecord>, StoreError> {
    let sql = format!("SELECT {SCAN_COLUMNS}, s.report_json {SCAN_FROM} WHERE s.id = $1");
    let Some(row) = db.query_opt(&sql, &[Val::Int(id.0)]).await? else {
        return Ok(None);
    };
    Ok(Some(ScanRecord {
        info: scan_info(&row)?,
        report_json: row.opt_text(16)?,
    }))
}

/// Scans, newest first.
pub(crate) async fn list_scans<D: Db>(
    db: &mut D,
    page: PageRequest,
) -> Result<Page<ScanInfo>, StoreError> {
    let sql = format!("SELECT {SCAN_COLUMNS} {SCAN_FROM} ORDER BY s.id DESC");
    paged(
        db,
        &sql,
        "SELECT COUNT(*) FROM scans",
        Vec::new(),
        page,
        scan_info,
    )
    .await
}

fn finding_row(row: &Row) -> Result<FindingRow, StoreError> {
    Ok(FindingRow {
        scan: ScanId(row.int(0)?),
        upload: UploadId(row.int(1)?),
        host: row.opt_text(2)?,
        finding: FindingDraft {
            finding_id: row.text(3)?,
            component_id: row.text(4)?,
            verdict: row.text(5)?,
            directive: row.text(6)?,
            entity: row.opt_text(7)?,
            supplier: row.opt_text(8)?,
            host: row.opt_text(2)?,
            detail: json(&row.text(9)?)?,
        },
    })
}

/// Findings matching a filter, newest scan first, then by finding id.
pub(crate) async fn findings<D: Db>(
    db: &mut D,
    filter: &FindingFilter,
    page: PageRequest,
) -> Result<Page<FindingRow>, StoreError> {
    let mut conditions = Vec::new();
    let mut params = Vec::new();
    match filter.scan {
        Some(scan) => {
            params.push(Val::Int(scan.0));
            conditions.push("scan_id = $1".to_owned());
        }
        None => conditions.push("current = 1".to_owned()),
    }
    let text_filters = [
        ("verdict", &filter.verdict),
        ("directive", &filter.directive),
        ("entity", &filter.entity),
        ("host", &filter.host),
        ("supplier", &filter.supplier),
    ];
    for (column, value) in text_filters {
        if let Some(v) = value {
            params.push(Val::from(v.as_str()));
            conditions.push(format!("{column} = ${}", params.len()));
        }
    }
    let filter_sql = format!("FROM findings WHERE {}", conditions.join(" AND "));
    let sql = format!("SELECT {FINDING_COLUMNS} {filter_sql} ORDER BY scan_id DESC, finding_id");
    let count = format!("SELECT COUNT(*) {filter_sql}");
    paged(db, &sql, &count, params, page, finding_row).await
}

const FINDING_COLUMNS: &str = "scan_id, upload_id, host, finding_id, component_id, verdict, \
    directive, entity, supplier, detail";

/// One finding of one scan.
pub(crate) async fn finding<D: Db>(
    db: &mut D,
    scan: ScanId,
    finding_id: &str,
) -> Result<Option<FindingRow>, StoreError> {
    let sql =
        format!("SELECT {FINDING_COLUMNS} FROM findings WHERE scan_id = $1 AND finding_id = $2");
    db.query_opt(&sql, &[Val::Int(scan.0), Val::from(finding_id)])
        .await?
        .map(|r| finding_row(&r))
        .transpose()
}

/// Current findings grouped by one column, largest groups first.
pub(crate) async fn finding_counts<D: Db>(
    db: &mut D,
    key: FindingKey,
    limit: u32,
) -> Result<Vec<(Option<String>, u64)>, StoreError> {
    let c = key.column();
    let sql = format!(
        "SELECT {c}, COUNT(*) AS n FROM findings WHERE current = 1 GROUP BY {c} \
         ORDER BY n DESC, {c} IS NULL, {c} LIMIT $1"
    );
    db.query(&sql, &[Val::Int(i64::from(limit))])
        .await?
        .iter()
        .map(|r| Ok((r.opt_text(0)?, u64::try_from(r.int(1)?).unwrap_or(0))))
        .collect()
}

/// Counts by scan status and by verdict of current findings.
pub(crate) async fn stats<D: Db>(db: &mut D) -> Result<StoreStats, StoreError> {
    let mut stats = StoreStats::default();
    for row in db
        .query("SELECT status, COUNT(*) FROM scans GROUP BY status", &[])
        .await?
    {
        let n = u64::try_from(row.int(1)?).unwrap_or(0);
        stats.scans_by_status.insert(row.text(0)?, n);
    }
    for row in db
        .query(
            "SELECT verdict, COUNT(*) FROM findings WHERE current = 1 GROUP BY verdict",
            &[],
        )
        .await?
    {
        let n = u64::try_from(row.int(1)?).unwrap_or(0);
        stats.findings_by_verdict.insert(row.text(0)?, n);
    }
    let uploads = db
        .query_one("SELECT COUNT(*) FROM uploads", &[])
        .await?
        .int(0)?;
    stats.uploads = u64::try_from(uploads).unwrap_or(0);
    Ok(stats)
}

const RESCREEN_COLUMNS: &str =
    "scan_id, previous_scan, upload_id, cause, new_findings, resolved_findings, at";

fn rescreen(row: &Row) -> Result<Rescreen, StoreError> {
    Ok(Rescreen {
        scan: ScanId(row.int(0)?),
        previous: ScanId(row.int(1)?),
        upload: UploadId(row.int(2)?),
        cause: json(&row.text(3)?)?,
        new_findings: json(&row.text(4)?)?,
        resolved_findings: json(&row.text(5)?)?,
        at: row.time(6)?,
    })
}

/// Re-screen diffs, newest first.
pub(crate) async fn rescreens<D: Db>(
    db: &mut D,
    page: PageRequest,
) -> Result<Page<Rescreen>, StoreError> {
    let sql = format!("SELECT {RESCREEN_COLUMNS} FROM rescreens ORDER BY scan_id DESC");
    paged(
        db,
        &sql,
        "SELECT COUNT(*) FROM rescreens",
        Vec::new(),
        page,
        rescreen,
    )
    .await
}

/// The diff one scan made, if it replaced an earlier one.
pub(crate) async fn scan_diff<D: Db>(
    db: &mut D,
    scan: ScanId,
) -> Result<Option<Rescreen>, StoreError> {
    let sql = format!("SELECT {RESCREEN_COLUMNS} FROM rescreens WHERE scan_id = $1");
    db.query_opt(&sql, &[Val::Int(scan.0)])
        .await?
        .map(|r| rescreen(&r))
        .transpose()
}

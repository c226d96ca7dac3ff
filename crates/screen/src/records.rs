//! Screening components already read, on the calling thread: a table that
//! arrived as records (an API request's lines, read by
//! [`supplyscreen_ingest::RecordReader`]) needs no worker pool, no format
//! detection and no text decoding, only identification and judgement.

use supplyscreen_ingest::Summary;
use supplyscreen_model::Component;

use crate::stream::Keep;
use crate::unit::{Caches, Judge, Reader};
use crate::{Outcome, Request, ScreenError, Screener};

impl Screener {
    /// Identifies and judges the components read from one input (whose
    /// summary is `summary`) in order, on this thread: the outcome
    /// [`Screener::screen`] gives for that input.
    pub fn screen_read(
        &self,
        summary: Summary,
        components: Vec<Component>,
        req: &Request,
    ) -> Result<Outcome, ScreenError> {
        let profile = self.kb().profile(&req.profile).ok_or_else(|| {
            let known: Vec<String> = self.kb().profiles().map(|p| p.id.to_string()).collect();
            ScreenError::UnknownProfile(req.profile.to_string(), known.join(", "))
        })?;
        let cx = self.context(profile, req);
        let judge = Judge {
            screener: self,
            cx: &cx,
            read: &req.read,
            enc: &Keep,
            caches: Caches::new(0),
        };
        let mut reader = Reader::new(&judge, req.waivers.len());
        let screened = components
            .into_iter()
            .map(|c| reader.component(c).1)
            .collect();
        let waivers = reader.ledger.statuses(&req.waivers, req.as_of);
        Ok(Outcome::from_parts(
            self.header(req),
            vec![summary],
            screened,
            waivers,
            Vec::new(),
        ))
    }
}

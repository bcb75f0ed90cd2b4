import MFProtocol

extension MFClient {
    /// Polls `train_status` until `job` (train or tune) ends, reporting progress 0…1, and
    /// returns the last answer. Polling keeps each request short, so no request outlives the client's timeout.
    public func waitForJob(_ job: RawResult<JobInfo>, every interval: Duration = .milliseconds(200),
                           progress: (Double) -> Void = { _ in }) async throws(MFClientError) -> RawResult<JobInfo> {
        var job = job
        while job.state == .queued || job.state == .running {
            progress(job.progress)
            try? await Task.sleep(for: interval)
            job = try await sendKeepingJSON(TrainStatusRequest(job: job.job))
        }
        progress(job.progress)
        return job
    }
}

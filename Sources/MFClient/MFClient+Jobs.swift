import MFProtocol

extension MFClient {
    /// Polls `train_status` until `job` (train or tune) ends, reporting progress 0…1.
    /// Polling keeps each request short, so no request outlives the client's timeout.
    public func waitForJob(_ job: JobInfo, every interval: Duration = .milliseconds(200),
                           progress: (Double) -> Void = { _ in }) async throws(MFClientError) -> JobInfo {
        var job = job
        while job.state == .queued || job.state == .running {
            progress(job.progress)
            try? await Task.sleep(for: interval)
            job = try await send(TrainStatusRequest(job: job.job))
        }
        progress(job.progress)
        return job
    }
}

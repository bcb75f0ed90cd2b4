"""Python client for mfd, the matrix-factorization recommender daemon.

    import mfdclient
    client = mfdclient.Client()          # the socket is resolved as mfctl does
    for r in client.recommend(42, n=5):
        print(r.item, r.title, r.score)

Pure standard library; pandas is used only by the DataFrame helpers.
"""

from ._client import IMPORT_CHUNK_BYTES, Client
from ._errors import JobFailedError, MFDConnectionError, MFDError, MFDTimeoutError
from ._socketpath import SYSTEM_SOCKET, hand_run_default, resolve_socket
from ._types import (AddItemResult, AddRatingResult, AddRatingsResult, AddUserResult, Because, Config,
                     DeleteRatingResult, DeleteUserResult, Epoch, Evaluation, Export, FoldInResult, Hello,
                     ImportIssue, ImportModelResult, ImportResult, ImportStatus, ItemInfo, Job, Limits, Loading,
                     ModelInfo, Prediction, Progress, RatedItem, Recommendation, Recommendations, RetrainBackoff, SimilarItem,
                     SimilarUser, Status, TrainingMetrics, TuneReport, TuneTrial, UserInfo)

__version__ = "0.1.0"

__all__ = [
    "Client", "MFDError", "MFDConnectionError", "MFDTimeoutError", "JobFailedError",
    "resolve_socket", "hand_run_default", "SYSTEM_SOCKET", "IMPORT_CHUNK_BYTES",
    "AddItemResult", "AddRatingResult", "AddRatingsResult", "AddUserResult", "Because", "Config",
    "DeleteRatingResult", "DeleteUserResult", "Epoch", "Evaluation", "Export", "FoldInResult", "Hello",
    "ImportIssue", "ImportModelResult", "ImportResult", "ImportStatus", "ItemInfo", "Job", "Limits", "Loading",
    "ModelInfo", "Prediction", "Progress", "RatedItem", "Recommendation", "Recommendations", "RetrainBackoff", "SimilarItem",
    "SimilarUser", "Status", "TrainingMetrics", "TuneReport", "TuneTrial", "UserInfo",
]

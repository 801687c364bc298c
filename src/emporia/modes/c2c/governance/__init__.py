"""Trade governance (刷单治理): explainable fake-trade signals, scores, penalties
and appeals. See docs/modes/c2cgov.md.

``facts`` loads what the signals need from the core in bulk; ``detectors``
turns facts into signals with evidence (pure Python); ``rings`` finds
accounts that trade among themselves (networkx); ``scoring`` writes the
assessments; ``services`` applies and lifts penalties and rules appeals;
``selectors`` answers the review queue and the credit hook.
"""

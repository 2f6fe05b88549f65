"""Training the project's own model from its done documents (Qt-free; used by CLI and GUI).

``data`` reads gold documents and splits them by document; ``loop`` trains and scores
(``train_project``); ``evaluate`` holds the scoring; ``registry`` the project's
``models/<timestamp>/`` folders; ``uncertainty`` orders unfinished documents by the
model's confidence. Nothing is imported here, so ``annotator.nlp.model`` can use the
registry without loading the training code.
"""

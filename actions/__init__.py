"""rasa_sdk actions of Regelwijs: retrieval answers, calculators and melding flows.

Served in-process by the dialogue runtime, or over HTTP with
``python -m rasa_sdk --actions actions``.
"""

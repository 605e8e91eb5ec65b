"""The GDPR Art. 30 record of processing activities, generated from datasets and agreements."""

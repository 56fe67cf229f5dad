"""Multi-step work on contributions, one module per workflow:

    checkout    a reader starts a contribution and the first period is charged
    charging    asking a provider to charge a claimed payment; its answer becomes facts
    facts       the one way into the ledger: every movement of money is a fact applied here
    renewals    claiming and charging the periods of recurring contributions
    refunds     staff give a payment back
    offline     staff record a gift that arrived by bank or cheque
    reconcile   asking providers about what missed webhooks or crashes left unfinished

Money moves exactly once: a payment row is claimed in the database before any provider is
asked to charge it, the provider gets an idempotency key derived from that row, and the
ledger is written from facts keyed by the provider's own ids (`facts.apply_facts`).
Emails go out through `contributions.notices`, below these modules.
"""

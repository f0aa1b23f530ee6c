from ninja import Router

router = Router(tags=["contrats"])

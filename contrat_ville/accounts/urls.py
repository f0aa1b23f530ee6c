from django.urls import path

from contrat_ville.accounts import proconnect, views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
    path("proconnect/connexion/", proconnect.ProConnectAuthenticateView.as_view(), name="proconnect_authenticate"),
    path("proconnect/retour/", proconnect.ProConnectCallbackView.as_view(), name="proconnect_callback"),
]

#include "koseki/web/pages.h"

namespace koseki::web {
namespace {

std::string Document(const PageFrame& frame, std::string_view title, std::string_view body) {
  std::string html;
  html.reserve(2048 + body.size());
  html += "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  html += "<title>" + HtmlEscape(title) + " | koseki</title>";
  html += "<link rel=\"stylesheet\" href=\"/static/koseki.css\"></head><body>";
  html += "<header><span class=\"tenant\">" + HtmlEscape(frame.tenant_name) + "</span>";
  html += "<span class=\"zone\">" + HtmlEscape(frame.zone_label) + "端末</span>";
  if (!frame.login.empty()) {
    html += "<span class=\"login\">" + HtmlEscape(frame.login) + "</span>";
    html += "<form method=\"post\" action=\"/logout\" class=\"logout\">";
    html += "<input type=\"hidden\" name=\"csrf\" value=\"" + HtmlEscape(frame.csrf) + "\">";
    html += "<button type=\"submit\">ログアウト</button></form>";
  }
  html += "</header><main><h1>" + HtmlEscape(title) + "</h1>";
  html += body;
  html += "</main></body></html>\n";
  return html;
}

std::string ErrorBox(const Error* error) {
  if (error == nullptr) return {};
  return "<p class=\"error\" role=\"alert\">" + HtmlEscape(error->UserLine()) + "</p>";
}

std::string Hidden(std::string_view name, std::string_view value) {
  return "<input type=\"hidden\" name=\"" + HtmlEscape(name) + "\" value=\"" + HtmlEscape(value) +
         "\">";
}

std::string CodeForm(std::string_view action, std::string_view csrf) {
  std::string form = "<form method=\"post\" action=\"" + HtmlEscape(action) + "\">";
  form += Hidden("csrf", csrf);
  form +=
      "<label>確認コード（6 桁）<input name=\"code\" inputmode=\"numeric\" "
      "autocomplete=\"one-time-code\" pattern=\"[0-9]{6}\" maxlength=\"6\" required "
      "autofocus></label>";
  form += "<button type=\"submit\">確認</button></form>";
  return form;
}

}  // namespace

std::string_view RoleLabel(access::Role role) {
  switch (role) {
    case access::Role::kClerk:
      return "窓口担当";
    case access::Role::kOperator:
      return "オペレータ";
    case access::Role::kSupervisor:
      return "事業者責任者";
    case access::Role::kExaminer:
      return "審査担当";
    case access::Role::kApprover:
      return "決裁者";
    case access::Role::kAuditor:
      return "監査担当";
    case access::Role::kAdmin:
      return "管理者";
  }
  return "";
}

std::string LoginPage(const PageFrame& frame, std::string_view csrf, const Error* error) {
  std::string body = ErrorBox(error);
  body += "<form method=\"post\" action=\"/login\">" + Hidden("csrf", csrf);
  body +=
      "<label>ログイン ID<input name=\"login\" autocomplete=\"username\" required "
      "autofocus></label>";
  body +=
      "<label>パスワード<input name=\"password\" type=\"password\" "
      "autocomplete=\"current-password\" required></label>";
  body += "<button type=\"submit\">ログイン</button></form>";
  return Document(frame, "ログイン", body);
}

std::string ChangePasswordPage(const PageFrame& frame, const Error* error) {
  std::string body = ErrorBox(error);
  body +=
      "<p>初回のログインです。仮のパスワードを、あなただけが知る新しいパスワードに変えてください"
      "（12 文字以上）。</p>";
  body += "<form method=\"post\" action=\"/password\">" + Hidden("csrf", frame.csrf);
  body +=
      "<label>新しいパスワード<input name=\"password\" type=\"password\" "
      "autocomplete=\"new-password\" minlength=\"12\" required autofocus></label>";
  body +=
      "<label>新しいパスワード（確認）<input name=\"confirm\" type=\"password\" "
      "autocomplete=\"new-password\" minlength=\"12\" required></label>";
  body += "<button type=\"submit\">変更する</button></form>";
  return Document(frame, "パスワードの変更", body);
}

std::string TotpEnrolPage(const PageFrame& frame, std::string_view secret_base32,
                          std::string_view qr_svg, const Error* error) {
  std::string body = ErrorBox(error);
  body +=
      "<p>認証アプリでこの QR コードを読み取り、表示された 6 桁の確認コードを入力してください。"
      "</p>";
  body += "<figure class=\"qr\">" + std::string(qr_svg) + "</figure>";
  body += "<p>読み取れないときは、次の鍵を手で入力してください：<code>" +
          HtmlEscape(secret_base32) + "</code></p>";
  body += CodeForm("/totp", frame.csrf);
  return Document(frame, "二要素認証の登録", body);
}

std::string TotpPage(const PageFrame& frame, const Error* error) {
  std::string body = ErrorBox(error);
  body += "<p>認証アプリに表示されている 6 桁の確認コードを入力してください。</p>";
  body += CodeForm("/totp", frame.csrf);
  return Document(frame, "確認コード", body);
}

std::vector<MenuItem> MenuFor(access::Role role) {
  // The work pages arrive with the browser interface; until then the menu names them so that a
  // user sees what their role covers, and links what exists.
  std::vector<MenuItem> items;
  switch (role) {
    case access::Role::kClerk:
      items = {{"届書の受付", ""}, {"事件の一覧", ""}, {"証明書の発行", ""}};
      break;
    case access::Role::kOperator:
      items = {{"担当する事件", ""}};
      break;
    case access::Role::kSupervisor:
      items = {{"事件の割当", ""}};
      break;
    case access::Role::kExaminer:
      items = {{"審査（校合）", ""}};
      break;
    case access::Role::kApprover:
      items = {{"決裁", ""}};
      break;
    case access::Role::kAuditor:
      items = {{"監査ログ", ""}};
      break;
    case access::Role::kAdmin:
      items = {{"利用者と端末", ""}};
      break;
  }
  items.push_back({"アカウント", "/account"});
  return items;
}

std::string MenuPage(const PageFrame& frame, access::Role role, bool idle_notice) {
  std::string body;
  if (idle_notice) {
    body +=
        "<p class=\"notice\" role=\"status\">一定時間操作がなかったため、初期メニューに戻り"
        "ました。</p>";
  }
  body += "<p>" + HtmlEscape(RoleLabel(role)) + "のメニューです。</p><ul class=\"menu\">";
  for (const MenuItem& item : MenuFor(role)) {
    if (item.href.empty()) {
      body +=
          "<li><span class=\"unavailable\">" + HtmlEscape(item.label) + "（準備中）</span></li>";
    } else {
      body +=
          "<li><a href=\"" + HtmlEscape(item.href) + "\">" + HtmlEscape(item.label) + "</a></li>";
    }
  }
  body += "</ul>";
  return Document(frame, "メニュー", body);
}

std::string AccountPage(const PageFrame& frame, const AccountFacts& facts) {
  std::string body = "<dl class=\"account\">";
  body += "<dt>ログイン ID</dt><dd>" + HtmlEscape(frame.login) + "</dd>";
  body += "<dt>役割</dt><dd>" + HtmlEscape(facts.role_label) + "</dd>";
  body += "<dt>行動規範誓約</dt><dd>" + HtmlEscape(facts.pledge_signed) + "</dd>";
  body += "<dt>研修の有効期限</dt><dd>" + HtmlEscape(facts.training_until) + "</dd>";
  body += "</dl><p><a href=\"/\">メニューへ</a></p>";
  return Document(frame, "アカウント", body);
}

std::string LoggedOutPage(const PageFrame& frame) {
  return Document(frame, "ログアウトしました",
                  "<p>ログアウトしました。</p><p><a href=\"/\">ログイン画面へ</a></p>");
}

std::string ErrorPage(const PageFrame& frame, std::string_view title, const Error& error) {
  return Document(frame, title, ErrorBox(&error) + "<p><a href=\"/\">最初の画面へ</a></p>");
}

std::string_view StyleSheet() {
  return R"css(body{font-family:"IPAexGothic","Noto Sans CJK JP",sans-serif;margin:0;color:#111}
header{display:flex;gap:1em;align-items:center;padding:.5em 1em;background:#1d3557;color:#fff}
header .login{margin-left:auto}
header form{margin:0}
main{max-width:40em;margin:2em auto;padding:0 1em}
label{display:block;margin:.8em 0}
input{display:block;font-size:1.1em;padding:.3em;width:100%;box-sizing:border-box}
button{font-size:1.1em;padding:.4em 1.2em;margin-top:.8em}
.error{background:#fde2e1;border-left:4px solid #c1121f;padding:.6em}
.notice{background:#fff3cd;border-left:4px solid #b08800;padding:.6em}
.menu li{margin:.5em 0;font-size:1.2em}
.unavailable{color:#666}
.qr svg{width:16em;height:16em}
)css";
}

}  // namespace koseki::web

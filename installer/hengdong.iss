; Inno Setup script: the Windows installer of 衡东县产业发展“百十亿”工程数据填报与汇总系统.
; Needs Inno Setup 6.3 or newer. Build it through installer\build.py --installer, which reads the
; version from pyproject.toml, builds dist\HengdongDesktop with PyInstaller, runs its self-test and
; calls ISCC with /DAppVersion=... /DBundleDir=...
;
; Per-user install (no administrator rights): the program goes to
; %LOCALAPPDATA%\Programs\HengdongDesktop, shortcuts to the user's Start menu and desktop. The data
; (database, backups, logs) lives in %APPDATA%\HengdongCounty\HengdongDesktop, which the
; uninstaller never touches: reinstalling or upgrading finds it again.

#ifndef AppVersion
  #error 请用 installer\build.py 构建：它从 pyproject.toml 读取版本号并传给 ISCC（/DAppVersion=...）。
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\HengdongDesktop"
#endif
; Releases use the best compression; a test build may pass /DCompression=lzma2/fast.
#ifndef Compression
  #define Compression "lzma2/max"
#endif
#define AppName "衡东县“百十亿”工程数据填报与汇总系统"
#define ShortName "百十亿数据填报"
#define AppExe "HengdongDesktop.exe"
#define DataDir "HengdongCounty\HengdongDesktop"

[Setup]
; The AppId ties upgrades to earlier installs: never change it.
AppId={{7C4A1E5B-3D2F-4B8A-9E61-5A0C2D9F1B34}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=衡东县产业发展“百十亿”工程领导小组办公室
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
PrivilegesRequired=lowest
; The per-user program folder, named directly: {autopf} means the same here (FOLDERID_UserProgramFiles),
; but Wine, where `make windows-check` installs this very Setup.exe, cannot expand it.
DefaultDirName={localappdata}\Programs\HengdongDesktop
DefaultGroupName={#ShortName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
OutputDir=..\dist
OutputBaseFilename=HengdongDesktop-Setup-{#AppVersion}
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression={#Compression}
SolidCompression=yes
; Python 3.11 and Qt 6 run on 64-bit Windows 10 and 11 only.
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; An upgrade closes the running program first (Restart Manager), then installs over it.
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=no

[Languages]
; Inno Setup's own Simplified Chinese file where the installed version ships one, else the English
; base; zh_CN.isl (beside this script) translates every message this installer shows.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl,zh_CN.isl"
#else
Name: "zh"; MessagesFile: "compiler:Default.isl,zh_CN.isl"
#endif

; Messages newer than Inno Setup 6.4.1, the newest compiler in the package registries (file verification,
; downloads, archives): 6.4.1 does not know them and would warn. Given to 6.5 and later, which have them;
; a 6.4.2/6.4.3 compiler shows Inno Setup's own text for the few it may know.
#if Ver >= EncodeVer(6, 5, 0)
[Messages]
zh.RetryCancelSelectAction=选择操作
zh.RetryCancelRetry=重试(&T)
zh.RetryCancelCancel=取消
zh.StatusDownloadFiles=正在下载文件...
zh.SourceVerificationFailed=源文件校验失败：%1
zh.VerificationSignatureDoesntExist=签名文件“%1”不存在
zh.VerificationSignatureInvalid=签名文件“%1”无效
zh.VerificationKeyNotFound=签名文件“%1”使用了未知的密钥
zh.VerificationFileNameIncorrect=文件名不正确
zh.VerificationFileTagIncorrect=文件标记不正确
zh.VerificationFileSizeIncorrect=文件大小不正确
zh.VerificationFileHashIncorrect=文件校验值不正确
zh.ErrorDownloading=下载文件时出错：
zh.ErrorExtracting=解压文件时出错：
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#ShortName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{#AppName}"
Name: "{group}\{cm:UninstallProgram,{#ShortName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#ShortName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{#AppName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#ShortName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ The data directory is not part of the installation, so it survives uninstalling; say where it is. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{userappdata}\{#DataDir}')]),
      mbInformation, MB_OK);
end;
